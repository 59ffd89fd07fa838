//! Schema pointers as written in feature files, and finding what they point at.

use serde_json::Value;

use super::SchemaError;
use super::error::UnknownPointer;

/// How many `$ref` hops are followed before giving up (a loop in the document).
const MAX_REF_HOPS: usize = 32;

/// A JSON pointer into the document, kept in one canonical form: `/a/b` (no `#`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Pointer(String);

impl Pointer {
    /// Reads `#/a/b`, `/a/b` or `#` (the root); surrounding blanks are ignored.
    pub(crate) fn parse(text: &str) -> Result<Pointer, SchemaError> {
        let trimmed = text.trim();
        let body = trimmed.strip_prefix('#').unwrap_or(trimmed);
        if body.is_empty() || body.starts_with('/') {
            Ok(Pointer(body.to_owned()))
        } else {
            Err(SchemaError::BadPointer {
                pointer: text.to_owned(),
            })
        }
    }

    /// The whole document.
    pub(crate) fn root() -> Pointer {
        Pointer(String::new())
    }

    /// The pointer of a `$ref` inside the document (`#/...`), or `None` for an external one.
    pub(crate) fn from_local_ref(reference: &str) -> Option<Pointer> {
        let body = reference.strip_prefix('#')?;
        (body.is_empty() || body.starts_with('/')).then(|| Pointer(body.to_owned()))
    }

    /// The pointer one level down, `key` being a raw (unescaped) member name.
    pub(crate) fn child(&self, key: &str) -> Pointer {
        Pointer(format!("{}/{}", self.0, escape_segment(key)))
    }

    /// The pointer as a URI fragment (`#/a/b`, percent-encoded where a URI needs it).
    pub(crate) fn uri_fragment(&self) -> String {
        let mut fragment = String::from("#");
        for byte in self.0.bytes() {
            if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
                fragment.push(char::from(byte));
            } else {
                fragment.push_str(&format!("%{byte:02X}"));
            }
        }
        fragment
    }

    /// The raw (unescaped) member names, root first.
    fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
    }

    /// What the pointer points at in `root`.
    pub(crate) fn lookup<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        root.pointer(&self.0)
    }
}

impl std::fmt::Display for Pointer {
    /// Shown as written in feature files: `#/a/b`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Escapes a member name for a JSON pointer (`~` → `~0`, `/` → `~1`).
pub(crate) fn escape_segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Follows local `$ref`s from `value` to the schema they name, and gives the pointer of that
/// schema (`None` when `value` is not a reference).
///
/// Stops at an external, dangling or looping reference.
pub(crate) fn follow_refs<'a>(root: &'a Value, value: &'a Value) -> (&'a Value, Option<Pointer>) {
    let mut current = (value, None);
    for _ in 0..MAX_REF_HOPS {
        let Some(target) = current
            .0
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(Pointer::from_local_ref)
        else {
            break;
        };
        match target.lookup(root) {
            Some(found) => current = (found, Some(target)),
            None => break,
        }
    }
    current
}

/// Explains a pointer that names nothing: where it stops matching and what is there instead.
pub(crate) fn unknown_pointer(
    root: &Value,
    pointer: &Pointer,
    given: &str,
    spec: &str,
) -> SchemaError {
    let mut found = Pointer(String::new());
    let mut parent = root;
    let mut missing = String::new();
    for segment in pointer.segments() {
        let next = match parent {
            Value::Object(map) => map.get(&segment),
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(value) => {
                found = found.child(&segment);
                parent = value;
            }
            None => {
                missing = segment;
                break;
            }
        }
    }
    let mut available: Vec<String> = match parent {
        Value::Object(map) => map.keys().cloned().collect(),
        Value::Array(items) => (0..items.len()).map(|i| i.to_string()).collect(),
        _ => Vec::new(),
    };
    available.sort();
    let suggestion = closest(&missing, &available).map(|name| found.child(name).to_string());
    SchemaError::UnknownPointer(Box::new(UnknownPointer {
        spec: spec.to_owned(),
        pointer: given.trim().to_owned(),
        found: found.to_string(),
        missing,
        suggestion,
        available,
    }))
}

/// The name in `names` most like `wanted`, if it is close enough to be a typo.
fn closest<'a>(wanted: &str, names: &'a [String]) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    names
        .iter()
        .map(|name| (edit_distance(&wanted, &name.to_lowercase()), name))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name.as_str())
}

/// Levenshtein distance, counted in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_the_forms_used_in_feature_files() {
        let with_hash = Pointer::parse("#/components/schemas/PhoneNumber").unwrap();
        let without = Pointer::parse(" /components/schemas/PhoneNumber ").unwrap();
        assert_eq!(with_hash, without);
        assert_eq!(with_hash.to_string(), "#/components/schemas/PhoneNumber");
        assert_eq!(Pointer::parse("#").unwrap(), Pointer::root());
        assert_eq!(
            Pointer::parse("components/schemas/X"),
            Err(SchemaError::BadPointer {
                pointer: "components/schemas/X".into()
            })
        );
    }

    #[test]
    fn escapes_and_encodes() {
        let p = Pointer::parse("#/paths").unwrap().child("/a b~{id}");
        assert_eq!(p.to_string(), "#/paths/~1a b~0{id}");
        assert_eq!(p.uri_fragment(), "#/paths/~1a%20b~0%7Bid%7D");
        assert_eq!(Pointer::from_local_ref("other.yaml#/x"), None);
        assert_eq!(
            Pointer::from_local_ref("#/x/y").unwrap().to_string(),
            "#/x/y"
        );
    }

    #[test]
    fn follows_local_refs_and_stops_on_loops() {
        let root = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"},
                          "loop": {"$ref": "#/loop"}});
        let (value, at) = follow_refs(&root, &root["a"]);
        assert_eq!(value, &json!({"type": "string"}));
        assert_eq!(at.unwrap().to_string(), "#/c");
        assert_eq!(follow_refs(&root, &root["c"]), (&root["c"], None));
        let (value, _) = follow_refs(&root, &root["loop"]);
        assert_eq!(value, &json!({"$ref": "#/loop"}));
    }

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("phonenumbr", "phonenumber"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
