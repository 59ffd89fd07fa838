//! Values that break a schema in a meaningful way, most meaningful first.
//!
//! Candidates are only proposals: the caller keeps the first one the compiled schema rejects.

use serde_json::{Map, Value, json};

use super::pointer::{Pointer, follow_refs};

/// How deep nested objects are explored (also stops on recursive schemas).
const MAX_DEPTH: usize = 6;

/// Values of the wrong kind, tried after everything specific to the schema.
fn wrong_kinds() -> [Value; 6] {
    [
        json!(12345),
        json!("not-a-valid-value"),
        json!(true),
        Value::Null,
        json!([]),
        json!({}),
    ]
}

/// Candidate non-compliant values for the schema at `at`, most meaningful first.
pub(crate) fn candidates(root: &Value, at: &Pointer) -> Vec<Value> {
    let Some(schema) = at.lookup(root) else {
        return Vec::new();
    };
    let mut out = Generator { root }.invalid(schema, 0);
    out.extend(wrong_kinds());
    out
}

/// A value the schema (in the document `root`) accepts, when one can be made up.
pub(super) fn valid_value(root: &Value, schema: &Value) -> Option<Value> {
    Generator { root }.valid(schema, 0)
}

/// Values meant to break the schema (in the document `root`), most meaningful first.
pub(super) fn invalid_values(root: &Value, schema: &Value) -> Vec<Value> {
    Generator { root }.invalid(schema, 0)
}

/// The names an object schema's own `required` keyword lists.
pub(super) fn required_names(schema: &Value) -> Vec<String> {
    names(schema.get("required"))
}

/// The `required` list of each `anyOf`/`oneOf` alternative of an object schema (empty
/// lists left out).
pub(super) fn alternative_required_sets(schema: &Value) -> Vec<Vec<String>> {
    required_sets(schema)
        .into_iter()
        .filter(|set| !set.is_empty())
        .collect()
}

/// Walks schemas inside one document.
struct Generator<'a> {
    root: &'a Value,
}

impl<'a> Generator<'a> {
    /// The schema `value` once `$ref`s are followed.
    fn resolve(&self, value: &'a Value) -> &'a Value {
        follow_refs(self.root, value).0
    }

    /// Values meant to break the schema, most meaningful first.
    fn invalid(&self, schema: &'a Value, depth: usize) -> Vec<Value> {
        let schema = self.resolve(schema);
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        let mut out = Vec::new();
        if let Some(Value::Array(options)) = schema.get("enum") {
            out.push(outside_enum(options));
        }
        match primary_type(schema) {
            Some("string") => out.extend(invalid_strings(schema)),
            Some("integer") | Some("number") => out.extend(invalid_numbers(schema)),
            Some("boolean") => out.push(json!("true")),
            Some("array") => out.extend(self.invalid_arrays(schema, depth)),
            Some("object") => out.extend(self.invalid_objects(schema, depth)),
            _ => {}
        }
        if let Some(Value::Array(parts)) = schema.get("allOf") {
            for part in parts {
                out.extend(self.invalid(part, depth + 1));
            }
        }
        out
    }

    /// Arrays whose first item is broken, then an array that is too short.
    fn invalid_arrays(&self, schema: &'a Value, depth: usize) -> Vec<Value> {
        let mut out: Vec<Value> = match schema.get("items") {
            Some(items) => self
                .invalid(items, depth + 1)
                .into_iter()
                .map(|item| json!([item]))
                .collect(),
            None => Vec::new(),
        };
        if schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) > 0 {
            out.push(json!([]));
        }
        out.push(json!("not-an-array"));
        out
    }

    /// For objects, in order: a broken value for a property every valid object has, then the
    /// object's own constraints broken (required parts missing, too few properties), then a
    /// broken value for an optional property.
    fn invalid_objects(&self, schema: &'a Value, depth: usize) -> Vec<Value> {
        let base = self.valid(schema, depth).and_then(into_object);
        let base = base.unwrap_or_default();
        let always = always_required(schema);
        let properties = schema.get("properties").and_then(Value::as_object);
        let declared: Vec<&String> = properties.map(|p| p.keys().collect()).unwrap_or_default();
        let (required, optional): (Vec<&String>, Vec<&String>) =
            declared.into_iter().partition(|name| always.contains(name));

        let mut out = Vec::new();
        let with_broken = |names: &[&String], out: &mut Vec<Value>| {
            for name in names {
                let Some(property) = properties.and_then(|p| p.get(name.as_str())) else {
                    continue;
                };
                for broken in self.invalid(property, depth + 1) {
                    let mut object = base.clone();
                    object.insert((*name).clone(), broken);
                    out.push(Value::Object(object));
                }
            }
        };
        with_broken(&required, &mut out);
        for name in &always {
            let mut object = base.clone();
            object.remove(name);
            out.push(Value::Object(object));
        }
        if let Some(Value::Array(branches)) = schema.get("anyOf") {
            let mut object = base.clone();
            object.retain(|name, _| always.contains(name));
            if !branches.is_empty() {
                out.push(Value::Object(object));
            }
        }
        if schema
            .get("minProperties")
            .and_then(Value::as_u64)
            .unwrap_or(0)
            > 0
        {
            out.push(json!({}));
        }
        with_broken(&optional, &mut out);
        out.push(json!("not-an-object"));
        out
    }

    /// A value the schema accepts, when one can be made up (examples first).
    fn valid(&self, schema: &'a Value, depth: usize) -> Option<Value> {
        let schema = self.resolve(schema);
        if depth > MAX_DEPTH {
            return None;
        }
        for keyword in ["example", "default"] {
            if let Some(value) = schema.get(keyword) {
                return Some(value.clone());
            }
        }
        if let Some(value) = schema
            .get("examples")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
        {
            return Some(value.clone());
        }
        if let Some(value) = schema
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
        {
            return Some(value.clone());
        }
        match primary_type(schema) {
            Some("string") => valid_string(schema),
            Some("integer") | Some("number") => Some(valid_number(schema)),
            Some("boolean") => Some(json!(true)),
            Some("array") => Some(json!([])),
            Some("object") => self.valid_object(schema, depth),
            _ => None,
        }
    }

    /// An object with every always-required property, and one more if `minProperties` asks.
    fn valid_object(&self, schema: &'a Value, depth: usize) -> Option<Value> {
        let properties = schema.get("properties").and_then(Value::as_object);
        let property = |name: &str| {
            let value = properties?.get(name)?;
            self.valid(value, depth + 1)
        };
        let mut object = Map::new();
        let first_branch = required_sets(schema).into_iter().next().unwrap_or_default();
        for name in always_required(schema).into_iter().chain(first_branch) {
            if !object.contains_key(&name) {
                let value = property(&name)?;
                object.insert(name, value);
            }
        }
        let wanted = schema
            .get("minProperties")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if (object.len() as u64) < wanted {
            let names = properties.map(|p| p.keys().cloned().collect::<Vec<_>>());
            for name in names.unwrap_or_default() {
                if (object.len() as u64) >= wanted {
                    break;
                }
                if let Some(value) = property(&name) {
                    object.entry(name).or_insert(value);
                }
            }
        }
        Some(Value::Object(object))
    }
}

/// The `type` of a schema (the first one when it lists several).
pub(super) fn primary_type(schema: &Value) -> Option<&str> {
    match schema.get("type")? {
        Value::String(kind) => Some(kind),
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null"),
        _ => None,
    }
}

/// Names listed in a `required` keyword.
fn names(required: Option<&Value>) -> Vec<String> {
    required
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The `required` list of each `anyOf`/`oneOf` alternative.
fn required_sets(schema: &Value) -> Vec<Vec<String>> {
    ["anyOf", "oneOf"]
        .into_iter()
        .filter_map(|keyword| schema.get(keyword)?.as_array())
        .flatten()
        .map(|branch| names(branch.get("required")))
        .collect()
}

/// Properties every valid object has: `required`, plus those every alternative requires.
fn always_required(schema: &Value) -> Vec<String> {
    let mut always = names(schema.get("required"));
    let sets = required_sets(schema);
    if let Some((first, rest)) = sets.split_first() {
        for name in first {
            if rest.iter().all(|set| set.contains(name)) && !always.contains(name) {
                always.push(name.clone());
            }
        }
    }
    always
}

/// The value as a JSON object, if it is one.
fn into_object(value: Value) -> Option<Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A value of the same kind as the options that is not one of them.
fn outside_enum(options: &[Value]) -> Value {
    if options.iter().all(Value::is_number) {
        let max = options.iter().filter_map(Value::as_f64).fold(0.0, f64::max);
        return json!((max as i64).saturating_add(1));
    }
    let mut value = String::from("NOT_A_DOCUMENTED_VALUE");
    while options.contains(&Value::String(value.clone())) {
        value.push('_');
    }
    Value::String(value)
}

/// Strings breaking the pattern (mutated examples), then the format, then the length;
/// finally a value that is not a string at all.
fn invalid_strings(schema: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    if schema.get("pattern").is_some() {
        for example in string_examples(schema) {
            let mut chars = example.chars();
            chars.next();
            out.push(json!(chars.as_str()));
            out.push(json!(format!("{example}!")));
            out.push(json!(format!(" {example}")));
        }
        out.extend([json!("!"), json!("")]);
    }
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        out.extend(bad_format(format).iter().map(|s| json!(s)));
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
        let length = usize::try_from(max)
            .unwrap_or(usize::MAX - 1)
            .saturating_add(1);
        out.push(json!("x".repeat(length.min(1 << 20))));
    }
    if schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) > 0 {
        out.push(json!(""));
    }
    out.push(json!(123456789));
    out
}

/// The string examples a schema gives.
fn string_examples(schema: &Value) -> Vec<&str> {
    let single = ["example", "default"]
        .into_iter()
        .filter_map(|keyword| schema.get(keyword)?.as_str());
    let listed = schema
        .get("examples")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str);
    single.chain(listed).collect()
}

/// Strings that look like the format but are not.
fn bad_format(format: &str) -> &'static [&'static str] {
    match format {
        "ipv4" => &["203.0.113.256", "not-an-ipv4-address"],
        "ipv6" => &["2001:db8::85a3::7344", "not-an-ipv6-address"],
        "date-time" => &["2024-02-20 10:41:38", "not-a-date-time"],
        "date" => &["2024-13-45", "not-a-date"],
        "email" => &["not-an-email-address"],
        "uuid" => &["not-a-uuid"],
        "uri" => &["not a uri"],
        _ => &[],
    }
}

/// Numbers just outside the bounds, then a fraction for an integer, then a string.
fn invalid_numbers(schema: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
        out.push(number_near(max, 1.0));
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
        out.push(number_near(min, -1.0));
    }
    if primary_type(schema) == Some("integer") {
        out.push(json!(1.5));
    }
    out.push(json!("0"));
    out
}

/// `bound + step`, as an integer when it is one.
pub(super) fn number_near(bound: f64, step: f64) -> Value {
    let value = bound + step;
    if value.fract() == 0.0 && value.abs() < 9e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}

/// A sample of a string format, or any string when there is no constraint to meet.
fn valid_string(schema: &Value) -> Option<Value> {
    let sample = match schema.get("format").and_then(Value::as_str) {
        Some("ipv4") => "192.0.2.1",
        Some("ipv6") => "2001:db8::1",
        Some("date-time") => "2024-01-01T00:00:00Z",
        Some("date") => "2024-01-01",
        Some(_) | None if schema.get("pattern").is_some() => return None,
        _ => "x",
    };
    Some(json!(sample))
}

/// A number within the bounds.
fn valid_number(schema: &Value) -> Value {
    let min = schema.get("minimum").and_then(Value::as_f64);
    let max = schema.get("maximum").and_then(Value::as_f64);
    let value = match (min, max) {
        (Some(min), _) => min,
        (None, Some(max)) if max < 0.0 => max,
        _ => 0.0,
    };
    number_near(value, 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_outsiders_are_not_options() {
        assert_eq!(outside_enum(&[json!("A")]), json!("NOT_A_DOCUMENTED_VALUE"));
        assert_eq!(
            outside_enum(&[json!("NOT_A_DOCUMENTED_VALUE")]),
            json!("NOT_A_DOCUMENTED_VALUE_")
        );
        assert_eq!(outside_enum(&[json!(400), json!(404)]), json!(405));
    }

    #[test]
    fn numbers_step_outside_bounds() {
        let schema = json!({"type": "integer", "minimum": 0, "maximum": 65535});
        assert_eq!(
            invalid_numbers(&schema),
            vec![json!(65536), json!(-1), json!(1.5), json!("0")]
        );
        assert_eq!(valid_number(&json!({"maximum": -3})), json!(-3));
    }

    #[test]
    fn objects_try_required_properties_then_own_constraints() {
        let root = json!({"s": {
            "type": "object",
            "properties": {"a": {"type": "boolean"}, "b": {"type": "boolean"}},
            "required": ["a"],
            "minProperties": 2
        }});
        let found = candidates(&root, &Pointer::parse("#/s").unwrap());
        assert_eq!(
            found[..5].to_vec(),
            vec![
                json!({"a": "true", "b": true}),
                json!({"b": true}),
                json!({}),
                json!({"a": true, "b": "true"}),
                json!("not-an-object"),
            ]
        );
    }
}
