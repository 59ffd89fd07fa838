//! Writing into a request body by JSONPath.
//!
//! Reading uses full JSONPath (RFC 9535, via `serde_json_path`); writing needs a path to a
//! single place, so set-up steps accept the singular subset: `$.a.b`, `$['a']`, `$.a[0]`.

use serde_json::{Map, Value};

/// One step of a singular path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Name(String),
    Index(usize),
}

/// Parses a singular JSONPath (`$.device.phoneNumber`, `$['device']`, `$.items[0]`).
fn segments(path: &str) -> Result<Vec<Segment>, String> {
    let unusable = |why: &str| {
        format!(
            "{path:?} cannot be written to: {why}; use a path to one place such as \"$.device.phoneNumber\""
        )
    };
    let mut rest = path
        .strip_prefix('$')
        .ok_or_else(|| unusable("a JSONPath starts with '$'"))?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        if let Some(after_dot) = rest.strip_prefix('.') {
            let end = after_dot.find(['.', '[']).unwrap_or(after_dot.len());
            let name = &after_dot[..end];
            if name.is_empty() || name == "*" {
                return Err(unusable("empty or wildcard member name"));
            }
            out.push(Segment::Name(name.to_owned()));
            rest = &after_dot[end..];
        } else if let Some(after_bracket) = rest.strip_prefix('[') {
            let end = after_bracket
                .find(']')
                .ok_or_else(|| unusable("unclosed '['"))?;
            let inner = after_bracket[..end].trim();
            let quoted = inner
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')));
            match (quoted, inner.parse::<usize>()) {
                (Some(name), _) => out.push(Segment::Name(name.to_owned())),
                (None, Ok(i)) => out.push(Segment::Index(i)),
                _ => {
                    return Err(unusable(
                        "only names and non-negative indexes can be written",
                    ));
                }
            }
            rest = &after_bracket[end + 1..];
        } else {
            return Err(unusable("expected '.' or '['"));
        }
    }
    if out.is_empty() {
        return Err(unusable(
            "the root itself is set with \"the request body is set to:\"",
        ));
    }
    Ok(out)
}

/// Sets the value at `path` in `body`, creating missing objects on the way.
pub fn set(body: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let segs = segments(path)?;
    let (last, parents) = segs.split_last().ok_or("empty path")?;
    let mut node = body;
    for seg in parents {
        node = child_mut(node, seg, path)?;
    }
    if node.is_null() {
        *node = Value::Object(Map::new());
    }
    match (last, node) {
        (Segment::Name(name), Value::Object(map)) => {
            map.insert(name.clone(), value);
            Ok(())
        }
        (Segment::Index(i), Value::Array(items)) if *i < items.len() => {
            items[*i] = value;
            Ok(())
        }
        (seg, other) => Err(format!(
            "{path:?} cannot be written to: {seg:?} does not fit a {} there",
            kind(other)
        )),
    }
}

/// Removes the value at `path`; removing what is not there is not an error.
pub fn remove(body: &mut Value, path: &str) -> Result<(), String> {
    let segs = segments(path)?;
    let (last, parents) = segs.split_last().ok_or("empty path")?;
    let mut node = body;
    for seg in parents {
        node = match (seg, node) {
            (Segment::Name(n), Value::Object(map)) => match map.get_mut(n) {
                Some(child) => child,
                None => return Ok(()),
            },
            (Segment::Index(i), Value::Array(items)) => match items.get_mut(*i) {
                Some(child) => child,
                None => return Ok(()),
            },
            _ => return Ok(()),
        };
    }
    match (last, node) {
        (Segment::Name(n), Value::Object(map)) => {
            map.remove(n);
        }
        (Segment::Index(i), Value::Array(items)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
    Ok(())
}

fn child_mut<'v>(node: &'v mut Value, seg: &Segment, path: &str) -> Result<&'v mut Value, String> {
    if node.is_null() {
        *node = Value::Object(Map::new());
    }
    match (seg, node) {
        (Segment::Name(n), Value::Object(map)) => Ok(map.entry(n.clone()).or_insert(Value::Null)),
        (Segment::Index(i), Value::Array(items)) => items
            .get_mut(*i)
            .ok_or_else(|| format!("{path:?} cannot be written to: index {i} is past the end")),
        (seg, other) => Err(format!(
            "{path:?} cannot be written to: {seg:?} does not fit a {} there",
            kind(other)
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sets_nested_members_creating_objects() {
        let mut body = json!({});
        set(&mut body, "$.device.phoneNumber", json!("+33699901031")).unwrap();
        set(&mut body, "$['device']['ipv6Address']", json!("::1")).unwrap();
        assert_eq!(
            body,
            json!({"device": {"phoneNumber": "+33699901031", "ipv6Address": "::1"}})
        );
    }

    #[test]
    fn removes_and_ignores_missing() {
        let mut body = json!({"device": {"phoneNumber": "+1"}, "list": [1, 2]});
        remove(&mut body, "$.device").unwrap();
        remove(&mut body, "$.nothing.here").unwrap();
        remove(&mut body, "$.list[0]").unwrap();
        assert_eq!(body, json!({"list": [2]}));
    }

    #[test]
    fn explains_unwritable_paths() {
        let mut body = json!({"device": "x"});
        assert_eq!(
            set(&mut body, "device", json!(1)).unwrap_err(),
            "\"device\" cannot be written to: a JSONPath starts with '$'; use a path to one place such as \"$.device.phoneNumber\""
        );
        assert!(
            set(&mut body, "$.device.phoneNumber", json!(1))
                .unwrap_err()
                .contains("does not fit a string")
        );
        assert!(set(&mut body, "$..x", json!(1)).is_err());
        assert!(set(&mut body, "$", json!(1)).is_err());
    }
}
