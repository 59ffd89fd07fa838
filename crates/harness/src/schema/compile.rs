//! Compiling the schema at a pointer, once, against the whole registered document.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, Registry, ValidationError, Validator};
use serde_json::{Value, json};

use super::pointer::Pointer;

/// The URI the document is registered under; never fetched (remote resolution is off).
const DOCUMENT_URI: &str = "https://reachability-conformance.invalid/openapi.json";

/// Compiles and caches one validator per pointer.
pub(crate) struct Compiler {
    registry: Registry<'static>,
    draft: Draft,
    cache: Mutex<HashMap<Pointer, Arc<Validator>>>,
}

impl Compiler {
    /// Registers `document` so that its internal `$ref`s resolve.
    pub(crate) fn new(document: Value, draft: Draft) -> Result<Compiler, String> {
        let registry = Registry::new()
            .draft(draft)
            .retrieve_known_draft_meta_schemas(false)
            .add(DOCUMENT_URI, draft.create_resource(document))
            .and_then(|builder| builder.prepare())
            .map_err(|e| e.to_string())?;
        Ok(Compiler {
            registry,
            draft,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The validator of the schema at `pointer`, compiled on first use.
    pub(crate) fn validator(&self, pointer: &Pointer) -> Result<Arc<Validator>, String> {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(validator) = cache.get(pointer) {
            return Ok(Arc::clone(validator));
        }
        let reference = json!({ "$ref": format!("{DOCUMENT_URI}{}", pointer.uri_fragment()) });
        let validator = jsonschema::options()
            .with_draft(self.draft)
            .with_registry(&self.registry)
            .should_validate_formats(true)
            .build(&reference)
            .map(Arc::new)
            .map_err(|e| e.to_string())?;
        cache.insert(pointer.clone(), Arc::clone(&validator));
        Ok(validator)
    }
}

/// Every violation of `instance`, each as `<instance path>: <what is wrong>`.
pub(crate) fn violations(validator: &Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| describe(&e))
        .collect()
}

/// Where `instance` breaks the schema: each violation as `<instance path> <schema path>`,
/// sorted, without the values. Two instances with the same places break the schema in the
/// same way (e.g. both give `device.phoneNumber` a number), whatever their values.
pub(crate) fn violation_places(validator: &Validator, instance: &Value) -> Vec<String> {
    let mut places: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| {
            format!(
                "{} {}",
                e.instance_path().as_str(),
                e.schema_path().as_str()
            )
        })
        .collect();
    places.sort();
    places
}

/// One violation, with the reasons each alternative of an `anyOf`/`oneOf` failed.
fn describe(error: &ValidationError<'_>) -> String {
    format!("{}: {}", shown_path(error), explain(error))
}

/// The instance path of a violation; `(root)` for the value itself.
fn shown_path(error: &ValidationError<'_>) -> String {
    let path = error.instance_path().as_str();
    if path.is_empty() { "(root)" } else { path }.to_owned()
}

/// What is wrong, without the path; alternatives' reasons carry a path only when it is deeper.
fn explain(error: &ValidationError<'_>) -> String {
    let alternatives = match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            context
        }
        _ => return error.to_string(),
    };
    let reasons: Vec<String> = alternatives
        .iter()
        .enumerate()
        .map(|(i, errors)| {
            let inner: Vec<String> = errors
                .iter()
                .map(|inner| {
                    if inner.instance_path() == error.instance_path() {
                        explain(inner)
                    } else {
                        describe(inner)
                    }
                })
                .collect();
            format!("option {}: {}", i + 1, inner.join(", "))
        })
        .collect();
    format!("{error} ({})", reasons.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_pointer_is_compiled_once_whatever_its_form() {
        let document = json!({"components": {"schemas": {"A": {"type": "string"}}}});
        let compiler = Compiler::new(document, Draft::Draft4).unwrap();
        let first = compiler
            .validator(&Pointer::parse("#/components/schemas/A").unwrap())
            .unwrap();
        let again = compiler
            .validator(&Pointer::parse("/components/schemas/A").unwrap())
            .unwrap();
        assert!(Arc::ptr_eq(&first, &again));
    }

    #[test]
    fn one_of_failures_explain_each_alternative() {
        let document = json!({"s": {"oneOf": [{"type": "string"}, {"type": "integer"}]}});
        let compiler = Compiler::new(document, Draft::Draft4).unwrap();
        let validator = compiler.validator(&Pointer::parse("#/s").unwrap()).unwrap();
        assert_eq!(
            violations(&validator, &json!([1])),
            vec![
                "(root): [1] is not valid under any of the schemas listed in the 'oneOf' keyword \
                 (option 1: [1] is not of type \"string\"; option 2: [1] is not of type \"integer\")"
            ]
        );
    }
}
