//! Reading an OpenAPI 3.0/3.1 document and finding the schemas of an operation's responses.

use std::path::Path;

use jsonschema::Draft;
use serde_json::{Map, Number, Value};

use super::SchemaError;
use super::pointer::{Pointer, follow_refs};

/// HTTP methods an OpenAPI path item can hold operations for.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keywords whose values are data, not schemas: never rewritten.
const DATA_KEYWORDS: [&str; 5] = ["example", "examples", "enum", "const", "default"];

/// An OpenAPI document ready to have its schemas compiled.
#[derive(Debug)]
pub(crate) struct Spec {
    /// The document, with OpenAPI 3.0 `nullable` turned into JSON Schema.
    pub(crate) root: Value,
    /// The JSON Schema draft its schemas are written in.
    pub(crate) draft: Draft,
}

impl Spec {
    /// Checks that `root` is an OpenAPI 3.0/3.1 document and prepares its schemas.
    pub(crate) fn new(mut root: Value, spec: &str) -> Result<Spec, SchemaError> {
        let not_openapi = |reason: String| SchemaError::NotOpenApi {
            spec: spec.to_owned(),
            reason,
        };
        let Some(object) = root.as_object() else {
            return Err(not_openapi("the top level is not a mapping".into()));
        };
        let draft = match object.get("openapi") {
            Some(Value::String(v)) if v.starts_with("3.0") => Draft::Draft4,
            Some(Value::String(v)) if v.starts_with("3.1") => Draft::Draft202012,
            Some(other) => {
                return Err(not_openapi(format!(
                    "version `openapi: {other}` is not supported"
                )));
            }
            None if object.contains_key("swagger") => {
                return Err(not_openapi(
                    "it is a Swagger 2 document; convert it to OpenAPI 3".into(),
                ));
            }
            None => return Err(not_openapi("it has no `openapi` version field".into())),
        };
        if !object.get("components").is_some_and(Value::is_object) {
            return Err(not_openapi("it has no `components` section".into()));
        }
        if draft == Draft::Draft4 {
            translate_nullable(&mut root);
        }
        Ok(Spec { root, draft })
    }

    /// The pointer of the JSON body schema of `operation_id`'s answer with `status`.
    ///
    /// Falls back from the exact status to its class (`4XX`) and then to `default`; a pure
    /// `$ref` schema is given as the schema it names (`#/components/schemas/...`).
    pub(crate) fn response_pointer(&self, operation_id: &str, status: u16) -> Option<Pointer> {
        let (operation, at) = self.operation(operation_id)?;
        let responses = operation.get("responses")?.as_object()?;
        let class = format!("{}XX", status / 100);
        let key = [status.to_string(), class, "default".to_owned()]
            .into_iter()
            .find_map(|wanted| {
                responses
                    .keys()
                    .find(|key| key.eq_ignore_ascii_case(&wanted))
            })?;
        let (response, target) = follow_refs(&self.root, &responses[key]);
        let at = target.unwrap_or_else(|| at.child("responses").child(key));
        let content = response.get("content")?.as_object()?;
        let media = content
            .keys()
            .find(|m| *m == "application/json")
            .or_else(|| {
                content.keys().find(|m| {
                    let essence = m.split(';').next().unwrap_or_default().trim();
                    essence.ends_with("/json") || essence.ends_with("+json")
                })
            })?;
        let at = at.child("content").child(media).child("schema");
        let schema = at.lookup(&self.root)?;
        let only_ref = schema.as_object().is_some_and(|map| map.len() == 1);
        match follow_refs(&self.root, schema) {
            (_, Some(target)) if only_ref => Some(target),
            _ => Some(at),
        }
    }

    /// Whether `operation_id` documents an answer with `status` (exactly, by its class
    /// `4XX`, or by `default`); `None` when the document has no such operation.
    pub(crate) fn documents_status(&self, operation_id: &str, status: u16) -> Option<bool> {
        let (operation, _) = self.operation(operation_id)?;
        let responses = operation.get("responses")?.as_object()?;
        let class = format!("{}XX", status / 100);
        Some(
            [status.to_string(), class, "default".to_owned()]
                .iter()
                .any(|wanted| responses.keys().any(|key| key.eq_ignore_ascii_case(wanted))),
        )
    }

    /// Whether any operation of the document documents an answer with exactly `status`.
    pub(crate) fn uses_status(&self, status: u16) -> bool {
        let wanted = status.to_string();
        let Some(paths) = self.root.get("paths").and_then(Value::as_object) else {
            return false;
        };
        paths.values().any(|item| {
            let (item, _) = follow_refs(&self.root, item);
            METHODS.into_iter().any(|method| {
                item.get(method)
                    .and_then(|operation| operation.get("responses"))
                    .and_then(Value::as_object)
                    .is_some_and(|responses| responses.contains_key(&wanted))
            })
        })
    }

    /// The operation with this `operationId`, and its pointer.
    fn operation(&self, operation_id: &str) -> Option<(&Value, Pointer)> {
        let paths = self.root.get("paths")?.as_object()?;
        let paths_at = Pointer::root().child("paths");
        paths.iter().find_map(|(path, item)| {
            let (item, target) = follow_refs(&self.root, item);
            let at = target.unwrap_or_else(|| paths_at.child(path));
            METHODS.into_iter().find_map(|method| {
                let operation = item.get(method)?;
                (operation.get("operationId")?.as_str()? == operation_id)
                    .then(|| (operation, at.child(method)))
            })
        })
    }
}

/// Parses a spec file's text: JSON when it starts with `{`, YAML otherwise.
pub(crate) fn parse(text: &str, path: &Path) -> Result<Value, SchemaError> {
    let error = |line: Option<usize>, column: Option<usize>, message: String| {
        let own_location = match (line, column) {
            (Some(line), Some(column)) => format!(" at line {line} column {column}"),
            _ => String::new(),
        };
        SchemaError::Parse {
            path: path.to_owned(),
            line,
            column,
            reason: message.replacen(&own_location, "", 1),
        }
    };
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text)
            .map_err(|e| error(Some(e.line()), Some(e.column()), e.to_string()));
    }
    let mut yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let location = e.location();
        error(
            location.as_ref().map(|l| l.line()),
            location.as_ref().map(|l| l.column()),
            e.to_string(),
        )
    })?;
    yaml.apply_merge()
        .map_err(|e| error(None, None, e.to_string()))?;
    Ok(yaml_to_json(yaml))
}

/// Converts YAML to JSON: mapping keys become strings (`200:` → `"200"`), tags are dropped.
fn yaml_to_json(yaml: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Yaml;
    match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Yaml::Mapping(mapping) => Value::Object(
            mapping
                .into_iter()
                .map(|(k, v)| (yaml_key(k), yaml_to_json(v)))
                .collect::<Map<_, _>>(),
        ),
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

/// A YAML mapping key as a JSON member name.
fn yaml_key(key: serde_yaml_ng::Value) -> String {
    match yaml_to_json(key) {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// OpenAPI 3.0 `nullable: true` next to a `type`: that type or null (JSON Schema has no
/// `nullable`). An `enum` beside it gets `null` too.
fn translate_nullable(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("nullable") == Some(&Value::Bool(true))
                && let Some(Value::String(kind)) = map.get("type")
            {
                let types = vec![Value::String(kind.clone()), Value::from("null")];
                map.insert("type".into(), Value::Array(types));
                if let Some(Value::Array(options)) = map.get_mut("enum")
                    && !options.contains(&Value::Null)
                {
                    options.push(Value::Null);
                }
            }
            for (key, child) in map.iter_mut() {
                if !DATA_KEYWORDS.contains(&key.as_str()) && !key.starts_with("x-") {
                    translate_nullable(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(translate_nullable),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nullable_becomes_a_type_list_but_examples_are_left_alone() {
        let mut doc = json!({
            "a": {"type": "string", "nullable": true, "enum": ["X"],
                  "example": {"type": "string", "nullable": true}},
            "b": {"nullable": true, "allOf": []},
        });
        translate_nullable(&mut doc);
        assert_eq!(
            doc,
            json!({
                "a": {"type": ["string", "null"], "nullable": true, "enum": ["X", null],
                      "example": {"type": "string", "nullable": true}},
                "b": {"nullable": true, "allOf": []},
            })
        );
    }

    #[test]
    fn yaml_integer_keys_become_strings() {
        let doc = parse(
            "responses:\n  200: {a: 1.5}\n  x: !tag 3\n",
            Path::new("s.yaml"),
        )
        .unwrap();
        assert_eq!(doc, json!({"responses": {"200": {"a": 1.5}, "x": 3}}));
    }

    #[test]
    fn versions_are_checked() {
        let spec = Spec::new(json!({"openapi": "3.1.0", "components": {}}), "s").unwrap();
        assert_eq!(spec.draft, Draft::Draft202012);
        let err = Spec::new(json!({"swagger": "2.0"}), "s.yaml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "s.yaml is not an OpenAPI 3 document: it is a Swagger 2 document; convert it to \
             OpenAPI 3; give an OpenAPI 3.0 or 3.1 document (the vendor's API specification) in \
             YAML or JSON"
        );
        let err = Spec::new(json!({"openapi": "3.0.3"}), "s").unwrap_err();
        assert!(
            err.to_string().contains("it has no `components` section"),
            "{err}"
        );
    }

    #[test]
    fn response_pointer_falls_back_to_class_and_default() {
        let spec = Spec::new(
            json!({
                "openapi": "3.0.3",
                "paths": {"/x/{id}": {"get": {"operationId": "op", "responses": {
                    "200": {"content": {"application/problem+json": {"schema": {"type": "object"}}}},
                    "4XX": {"$ref": "#/components/responses/E"},
                    "default": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}},
                    "204": {"description": "no body"}
                }}}},
                "components": {"responses": {"E": {"content": {"application/json": {"schema": {}}}}},
                               "schemas": {"S": {}}}
            }),
            "s",
        )
        .unwrap();
        let pointer = |status| spec.response_pointer("op", status).map(|p| p.to_string());
        assert_eq!(
            pointer(200).as_deref(),
            Some("#/paths/~1x~1{id}/get/responses/200/content/application~1problem+json/schema")
        );
        assert_eq!(
            pointer(404).as_deref(),
            Some("#/components/responses/E/content/application~1json/schema")
        );
        assert_eq!(pointer(500).as_deref(), Some("#/components/schemas/S"));
        assert_eq!(pointer(204), None);
        assert_eq!(spec.response_pointer("other", 200), None);
    }
}
