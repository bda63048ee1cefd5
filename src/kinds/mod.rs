//! One place per resource kind for its AWS facts: the words a spec writes
//! and the names AWS takes for them. The checker reads a spec's words
//! through these lists, import writes a spec back through them, and the
//! constraint table judges requests against their AWS names (which the
//! constraint oracle holds to botocore's enums where the model has one).
//! A list is written once: [`words!`] makes both views of it.

/// `words!(PAIRS, NAMES = [("spec_word", "AwsName"), ...])`: the pairs,
/// and the AWS names alone, from one list.
macro_rules! words {
    ($(#[$doc:meta])* $pairs:ident, $names:ident = [$(($w:literal, $a:literal)),* $(,)?]) => {
        $(#[$doc])*
        pub const $pairs: &[(&str, &str)] = &[$(($w, $a)),*];
        /// The AWS names of
        #[doc = concat!("[`", stringify!($pairs), "`].")]
        pub const $names: &[&str] = &[$($a),*];
    };
}

pub mod arn;
pub mod cron;
pub mod group;
pub mod scalable;
