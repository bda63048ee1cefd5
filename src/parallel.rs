//! One closure per item, each on a thread of its own, the results in the
//! items' order; a panic on a thread goes on in the caller.

/// `f` of every item, each on a scoped thread of its own.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items.iter().map(|x| scope.spawn(move || f(x))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}
