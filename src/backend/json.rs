//! A JSON tree for the documents the backends generate (templates, request
//! shapes): cheaper to build, render and free than `serde_json::Value`.
//!
//! - Objects are vectors kept sorted by key, so they iterate in the order of
//!   serde_json's default (`BTreeMap`) map and render byte for byte alike.
//! - Keys written in the code are `&'static str`, not allocated strings.
//! - The variants are named as `serde_json::Value`'s, and [`json!`](crate::json)
//!   takes the same syntax as serde_json's macro, so generating code reads
//!   the same.
//! - `From<Json> for serde_json::Value` hands a tree to code that wants
//!   serde_json's (the apply plan's request shapes).

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::borrow::Cow;

/// An object key: usually a literal from the code.
pub type Key = Cow<'static, str>;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Json {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, formatted as serde_json formats it.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, its keys sorted.
    Object(Map),
}

/// An object: entries sorted by key, keys unique.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map(Vec<(Key, Json)>);

impl Map {
    /// An empty object.
    pub fn new() -> Map {
        Map(Vec::new())
    }

    /// An object from entries in any order; a later entry with the key of an
    /// earlier one replaces it (as `serde_json::Map::insert` does).
    pub fn from_entries(mut entries: Vec<(Key, Json)>) -> Map {
        if entries.is_sorted_by(|a, b| a.0 < b.0) {
            return Map(entries);
        }
        // Stable, so of equal keys the last written stays last.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Key, Json)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => out.push((k, v)),
            }
        }
        Map(out)
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_ref().cmp(key))
    }

    /// Sets `key`, replacing what it held.
    pub fn insert(&mut self, key: impl Into<Key>, value: Json) {
        let key = key.into();
        match self.position(&key) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.position(key).ok().map(|i| &self.0[i].1)
    }

    /// The value of `key`, made `null` first if missing.
    fn entry(&mut self, key: Key) -> &mut Json {
        let i = match self.position(&key) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key, Json::Null));
                i
            }
        };
        &mut self.0[i].1
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// Whether the object is `{}`.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a str, &'a Json);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Key, Json)>,
        fn(&'a (Key, Json)) -> (&'a str, &'a Json),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

impl Json {
    /// The value of `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(m) => m.get(key),
            _ => None,
        }
    }

    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The entries, if this is an object.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Json::Object(m) => Some(m),
            _ => None,
        }
    }
}

/// `v["Key"] = ...`, as with serde_json: `null` becomes an object, a
/// missing key is added. Indexing anything else is a bug in the generator.
impl std::ops::IndexMut<&'static str> for Json {
    fn index_mut(&mut self, key: &'static str) -> &mut Json {
        if matches!(self, Json::Null) {
            *self = Json::Object(Map::new());
        }
        match self {
            Json::Object(m) => m.entry(Cow::Borrowed(key)),
            other => panic!("cannot set `{key}` on a JSON {}", kind(other)),
        }
    }
}

impl std::ops::Index<&'static str> for Json {
    type Output = Json;

    fn index(&self, key: &'static str) -> &Json {
        const NULL: Json = Json::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

fn kind(j: &Json) -> &'static str {
    match j {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::String(s.to_string())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::String(s)
    }
}

impl From<&String> for Json {
    fn from(s: &String) -> Json {
        Json::String(s.clone())
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

impl From<&bool> for Json {
    fn from(b: &bool) -> Json {
        Json::Bool(*b)
    }
}

macro_rules! from_number {
    ($($t:ty)*) => {$(
        impl From<$t> for Json {
            fn from(n: $t) -> Json {
                Json::Number(serde_json::Number::from(n))
            }
        }
        impl From<&$t> for Json {
            fn from(n: &$t) -> Json {
                Json::Number(serde_json::Number::from(*n))
            }
        }
    )*};
}
from_number!(u8 u16 u32 u64 usize i8 i16 i32 i64 isize);

impl From<f64> for Json {
    /// As serde_json: a number, or `null` for NaN and the infinities.
    fn from(f: f64) -> Json {
        serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)
    }
}

impl From<&f64> for Json {
    fn from(f: &f64) -> Json {
        Json::from(*f)
    }
}

impl<T: Into<Json>> From<Option<T>> for Json {
    fn from(o: Option<T>) -> Json {
        o.map_or(Json::Null, Into::into)
    }
}

impl<T: Into<Json>> From<Vec<T>> for Json {
    fn from(v: Vec<T>) -> Json {
        Json::Array(v.into_iter().map(Into::into).collect())
    }
}

impl<T: Clone + Into<Json>> From<&[T]> for Json {
    fn from(v: &[T]) -> Json {
        Json::Array(v.iter().cloned().map(Into::into).collect())
    }
}

impl<T: Clone + Into<Json>> From<&Vec<T>> for Json {
    fn from(v: &Vec<T>) -> Json {
        Json::from(v.as_slice())
    }
}

impl From<&&str> for Json {
    fn from(s: &&str) -> Json {
        Json::String((*s).to_string())
    }
}

impl From<&Json> for Json {
    fn from(j: &Json) -> Json {
        j.clone()
    }
}

impl From<Map> for Json {
    fn from(m: Map) -> Json {
        Json::Object(m)
    }
}

impl From<Json> for serde_json::Value {
    fn from(j: Json) -> serde_json::Value {
        match j {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => serde_json::Value::Bool(b),
            Json::Number(n) => serde_json::Value::Number(n),
            Json::String(s) => serde_json::Value::String(s),
            Json::Array(a) => serde_json::Value::Array(a.into_iter().map(Into::into).collect()),
            Json::Object(m) => serde_json::Value::Object(
                m.0.into_iter()
                    .map(|(k, v)| (k.into_owned(), v.into()))
                    .collect(),
            ),
        }
    }
}

impl From<serde_json::Value> for Json {
    fn from(v: serde_json::Value) -> Json {
        match v {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(b),
            serde_json::Value::Number(n) => Json::Number(n),
            serde_json::Value::String(s) => Json::String(s),
            serde_json::Value::Array(a) => Json::Array(a.into_iter().map(Into::into).collect()),
            serde_json::Value::Object(m) => Json::Object(Map::from_entries(
                m.into_iter()
                    .map(|(k, v)| (Cow::Owned(k), v.into()))
                    .collect(),
            )),
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(n) => n.serialize(s),
            Json::String(x) => s.serialize_str(x),
            Json::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for x in a {
                    seq.serialize_element(x)?;
                }
                seq.end()
            }
            Json::Object(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Builds a [`Json`] with serde_json's `json!` syntax: `json!({ "Key":
/// value, ... })`, `json!([a, b])`, `json!(null)`, `json!(expr)` (any type
/// with `Into<Json>`). Keys are string literals.
#[macro_export]
#[doc(hidden)]
macro_rules! json {
    // Arrays: [done elements] [tokens of the current one] rest.
    (@array [$($done:expr,)*] []) => { ::std::vec![$($done,)*] };
    (@array [$($done:expr,)*] [$($cur:tt)+]) => {
        ::std::vec![$($done,)* $crate::json!($($cur)+),]
    };
    (@array [$($done:expr,)*] [$($cur:tt)+] , $($rest:tt)*) => {
        $crate::json!(@array [$($done,)* $crate::json!($($cur)+),] [] $($rest)*)
    };
    (@array [$($done:expr,)*] [$($cur:tt)*] $t:tt $($rest:tt)*) => {
        $crate::json!(@array [$($done,)*] [$($cur)* $t] $($rest)*)
    };

    // Objects: a key and a one-token value, then the rest.
    (@object [$($done:expr,)*]) => { ::std::vec![$($done,)*] };
    (@object [$($done:expr,)*] $k:literal : $v:tt) => {
        ::std::vec![$($done,)* (::std::borrow::Cow::Borrowed($k), $crate::json!($v)),]
    };
    (@object [$($done:expr,)*] $k:literal : $v:tt , $($rest:tt)*) => {
        $crate::json!(@object [$($done,)* (::std::borrow::Cow::Borrowed($k), $crate::json!($v)),] $($rest)*)
    };
    // A value of several tokens: gather them up to the next comma.
    (@object [$($done:expr,)*] $k:literal : $($rest:tt)+) => {
        $crate::json!(@value [$($done,)*] $k [] $($rest)+)
    };
    (@value [$($done:expr,)*] $k:literal [$($cur:tt)+]) => {
        ::std::vec![$($done,)* (::std::borrow::Cow::Borrowed($k), $crate::json!($($cur)+)),]
    };
    (@value [$($done:expr,)*] $k:literal [$($cur:tt)+] , $($rest:tt)*) => {
        $crate::json!(@object [$($done,)* (::std::borrow::Cow::Borrowed($k), $crate::json!($($cur)+)),] $($rest)*)
    };
    (@value [$($done:expr,)*] $k:literal [$($cur:tt)*] $t:tt $($rest:tt)*) => {
        $crate::json!(@value [$($done,)*] $k [$($cur)* $t] $($rest)*)
    };

    (null) => { $crate::backend::json::Json::Null };
    ([]) => { $crate::backend::json::Json::Array(::std::vec::Vec::new()) };
    ([ $($tt:tt)+ ]) => {
        $crate::backend::json::Json::Array($crate::json!(@array [] [] $($tt)+))
    };
    ({}) => { $crate::backend::json::Json::Object($crate::backend::json::Map::new()) };
    ({ $($tt:tt)+ }) => {
        $crate::backend::json::Json::Object($crate::backend::json::Map::from_entries(
            $crate::json!(@object [] $($tt)+)
        ))
    };

    ($e:expr) => { $crate::backend::json::Json::from($e) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_serde_jsons_order_and_last_write_wins() {
        let name = String::from("web");
        let j = json!({
            "b": [1, 2.5, -3, null, true, "x"],
            "a": { "z": name.clone(), "y": format!("{}-{}", name, 2) },
            "c": name.len(),
            "B": {},
            "d": [],
        });
        let v = serde_json::json!({
            "b": [1, 2.5, -3, null, true, "x"],
            "a": { "z": "web", "y": "web-2" },
            "c": 3,
            "B": {},
            "d": [],
        });
        assert_eq!(serde_json::Value::from(j.clone()), v);
        let keys: Vec<&str> = j
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, ["B", "a", "b", "c", "d"]);
        let twice = Map::from_entries(vec![("k".into(), json!(1)), ("k".into(), json!(2))]);
        assert_eq!(twice.get("k"), Some(&json!(2)));
        assert_eq!(twice.len(), 1);
    }

    #[test]
    fn setting_a_key_inserts_it_in_order() {
        let mut j = json!(null);
        j["m"] = json!(1);
        j["a"] = json!("x");
        j["m"] = json!(2);
        j["z"]["inner"] = json!(true);
        j["b"] = json!(0);
        // Compared as text: a `serde_json::Value` would sort the keys itself.
        assert_eq!(
            serde_json::to_string(&j).expect("renders"),
            r#"{"a":"x","b":0,"m":2,"z":{"inner":true}}"#
        );
        let keys: Vec<&str> = j
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, ["a", "b", "m", "z"]);
    }

    #[test]
    fn numbers_and_non_finite_floats_convert_as_serde_json_does() {
        for f in [60.0, 0.5, -1e21, f64::NAN, f64::INFINITY] {
            assert_eq!(serde_json::Value::from(json!(f)), serde_json::json!(f));
        }
        assert_eq!(
            serde_json::Value::from(json!(u64::MAX)),
            serde_json::json!(u64::MAX)
        );
        assert_eq!(
            serde_json::Value::from(json!(-7i64)),
            serde_json::json!(-7i64)
        );
    }
}
