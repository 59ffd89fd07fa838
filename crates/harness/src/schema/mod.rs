//! JSON Schemas of the API, compiled once and looked up by OpenAPI pointer.
//!
//! A [`SchemaSet`] holds one OpenAPI document: either a built-in one (each [`Profile`]'s
//! OAS, verbatim from `contracts/<profile>/`, embedded in the binary) or a vendor's spec file. Schemas are named by the
//! pointers feature files use (`#/components/schemas/PhoneNumber`).

mod compile;
mod error;
mod generate;
mod openapi;
mod pointer;
mod requirements;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use jsonschema::Validator;
use serde_json::Value;

use crate::Profile;
use compile::Compiler;
pub use error::{SchemaError, UnknownPointer};
use openapi::Spec;
use pointer::{Pointer, follow_refs};
use reachability_contract::documents;
pub use requirements::{BodyBreak, BrokenBody, Requirement, RequirementKind, SecurityCase};

/// The schema of the `x-correlator` header, in the built-ins and in CAMARA specs.
pub const X_CORRELATOR_POINTER: &str = "#/components/headers/x-correlator/schema";

/// The schemas of one OpenAPI document, each compiled at most once; cheap to clone and share.
#[derive(Clone)]
pub struct SchemaSet {
    inner: Arc<Inner>,
}

/// What a [`SchemaSet`] shares between its clones.
struct Inner {
    source: String,
    spec: Spec,
    compiler: Compiler,
    /// [`SchemaSet::response_pointer`]'s answers, by operation and status (every check of a
    /// response asks it).
    response_pointers: Mutex<HashMap<(String, u16), Option<String>>>,
    /// [`SchemaSet::schema_at`]'s pointers found to name a schema, as written (every
    /// check against a schema asks it).
    schemas_at: Mutex<HashMap<String, Pointer>>,
}

impl fmt::Debug for SchemaSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SchemaSet")
            .field("source", &self.inner.source)
            .finish_non_exhaustive()
    }
}

impl SchemaSet {
    /// The built-in schemas of `profile`, loaded once per run.
    ///
    /// # Panics
    ///
    /// Only if the files embedded at build time are broken, which the tests rule out.
    pub fn builtin(profile: Profile) -> SchemaSet {
        static SETS: OnceLock<Vec<OnceLock<SchemaSet>>> = OnceLock::new();
        let slots = SETS.get_or_init(|| Profile::all().iter().map(|_| OnceLock::new()).collect());
        let index = Profile::all()
            .iter()
            .position(|p| *p == profile)
            .unwrap_or_default();
        slots[index]
            .get_or_init(|| {
                let source = format!("built-in {profile} schemas");
                let path = profile.document_path();
                openapi::parse(documents::builtin(profile), Path::new(&path))
                    .and_then(|root| SchemaSet::from_document(root, source.clone()))
                    .unwrap_or_else(|e| panic!("the embedded {profile} OAS is broken: {e}"))
            })
            .clone()
    }

    /// The node of the document at the JSON `pointer` (e.g. `/components/schemas/Device`).
    pub(crate) fn document_at(&self, pointer: &str) -> Option<&Value> {
        self.inner.spec.root.pointer(pointer)
    }

    /// Loads a vendor's OpenAPI 3.0/3.1 document (YAML or JSON) and compiles its components.
    pub fn from_spec_file(path: &Path) -> Result<SchemaSet, SchemaError> {
        let text = std::fs::read_to_string(path).map_err(|e| SchemaError::Read {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        let root = openapi::parse(&text, path)?;
        SchemaSet::from_document(root, path.display().to_string())
    }

    /// Prepares a parsed document and compiles every schema of its `components`, so a broken
    /// spec is reported when it is loaded rather than in the middle of a run.
    fn from_document(root: Value, source: String) -> Result<SchemaSet, SchemaError> {
        let spec = Spec::new(root, &source)?;
        let compiler = Compiler::new(spec.root.clone(), spec.draft).map_err(|reason| {
            SchemaError::InvalidSchema {
                spec: source.clone(),
                pointer: "#".into(),
                reason,
            }
        })?;
        let set = SchemaSet {
            inner: Arc::new(Inner {
                source,
                spec,
                compiler,
                response_pointers: Mutex::default(),
                schemas_at: Mutex::default(),
            }),
        };
        for pointer in set.component_schemas() {
            set.validator(&pointer)?;
        }
        Ok(set)
    }

    /// Where the schemas come from: `built-in <profile> schemas` or the spec file's path.
    pub fn source(&self) -> &str {
        &self.inner.source
    }

    /// Checks `instance` against the schema at `pointer` (`#/components/schemas/X`, with or
    /// without `#`, `~1`/`~0` escapes allowed).
    ///
    /// A non-compliant value gives [`SchemaError::Violations`], listing each violation with
    /// its place in the value, e.g. `/reachable: "true" is not of type "boolean"`.
    pub fn validate(&self, pointer: &str, instance: &Value) -> Result<(), SchemaError> {
        let at = self.schema_at(pointer)?;
        let validator = self.validator(&at)?;
        // Most instances comply: the violations are gathered (and worded) only for the rest.
        if validator.is_valid(instance) {
            return Ok(());
        }
        let violations = compile::violations(&validator, instance);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(SchemaError::Violations {
                spec: self.inner.source.clone(),
                pointer: at.to_string(),
                violations,
            })
        }
    }

    /// Whether `instance` complies with the schema at `pointer`, without gathering the
    /// violations (what [`SchemaSet::validate`] says when it does not).
    pub(crate) fn accepts(&self, pointer: &str, instance: &Value) -> Result<bool, SchemaError> {
        let at = self.schema_at(pointer)?;
        Ok(self.validator(&at)?.is_valid(instance))
    }

    /// Where `instance` breaks the schema at `pointer`: one `<instance path> <schema path>`
    /// per violation, sorted, without the values (empty when it complies). Instances with
    /// the same places break the schema in the same way.
    pub(crate) fn violation_places(
        &self,
        pointer: &str,
        instance: &Value,
    ) -> Result<Vec<String>, SchemaError> {
        let at = self.schema_at(pointer)?;
        Ok(compile::violation_places(&*self.validator(&at)?, instance))
    }

    /// The pointer of the body schema for `status` answers of `operation_id` (e.g.
    /// `getReachabilityStatus`), or `None` when the document defines no JSON body for it.
    pub fn response_pointer(&self, operation_id: &str, status: u16) -> Option<String> {
        let mut known = self
            .inner
            .response_pointers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        known
            .entry((operation_id.to_owned(), status))
            .or_insert_with(|| {
                self.inner
                    .spec
                    .response_pointer(operation_id, status)
                    .map(|at| at.to_string())
            })
            .clone()
    }

    /// Whether `operation_id` documents an answer with `status` (exactly, by class or by
    /// `default`); `None` when the document has no such operation.
    pub fn documents_status(&self, operation_id: &str, status: u16) -> Option<bool> {
        self.inner.spec.documents_status(operation_id, status)
    }

    /// Whether some operation of the document documents an answer with exactly `status`.
    pub fn uses_status(&self, status: u16) -> bool {
        self.inner.spec.uses_status(status)
    }

    /// The requirements of operation `operation_id` whose request body schema is at
    /// `request`: each constraint of the body (with the change that breaks it alone, checked
    /// against the compiled schema), then each case of the operation's security requirement.
    pub fn requirements(
        &self,
        operation_id: &str,
        request: &str,
    ) -> Result<Vec<Requirement>, SchemaError> {
        let at = self.schema_at(request)?;
        let validator = self.validator(&at)?;
        let root = &self.inner.spec.root;
        let rejects = |body: &Value| !validator.is_valid(body);
        let mut found = requirements::body_requirements(root, &at, &rejects);
        found.extend(requirements::security_requirements(root, operation_id));
        Ok(found)
    }

    /// A value the schema at `pointer` rejects, broken in the most meaningful way: a phone
    /// number without its `+`, a malformed IP address, an object with a broken or missing
    /// required part, or, for an unconstrained string, a number.
    ///
    /// The value is checked against the compiled schema before it is returned.
    pub fn non_compliant_value(&self, pointer: &str) -> Result<Value, SchemaError> {
        let at = self.schema_at(pointer)?;
        let validator = self.validator(&at)?;
        generate::candidates(&self.inner.spec.root, &at)
            .into_iter()
            .find(|candidate| !validator.is_valid(candidate))
            .ok_or_else(|| SchemaError::NoNonCompliantValue {
                spec: self.inner.source.clone(),
                pointer: at.to_string(),
            })
    }

    /// Checks that `pointer`, as a feature file writes it, names a schema of the document.
    pub fn resolve(&self, pointer: &str) -> Result<(), SchemaError> {
        self.schema_at(pointer).map(|_| ())
    }

    /// Follows the property names `path` (e.g. `["device", "phoneNumber"]`) down the object
    /// schema at `root`. `Ok` with the pointer (`#/...`) of the last property's schema, or
    /// `None` when the path leaves what the document declares (no `properties` to follow);
    /// `Err` when a name is not a declared property of its object, with the names that are.
    pub fn property(&self, root: &str, path: &[&str]) -> Result<Option<String>, Vec<String>> {
        let doc = &self.inner.spec.root;
        let Ok(mut at) = self.schema_at(root) else {
            return Ok(None);
        };
        for name in path {
            let Some((schema, named)) = at.lookup(doc).map(|v| follow_refs(doc, v)) else {
                return Ok(None);
            };
            if let Some(named) = named {
                at = named;
            }
            let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
                return Ok(None);
            };
            if !properties.contains_key(*name) {
                let mut names: Vec<String> = properties.keys().cloned().collect();
                names.sort();
                return Err(names);
            }
            at = at.child("properties").child(name);
        }
        let target = at
            .lookup(doc)
            .map(|v| follow_refs(doc, v).1.unwrap_or(at.clone()));
        Ok(target.map(|p| p.to_string()))
    }

    /// A pointer that names no schema, corrected for the slips CAMARA's plans make, when
    /// the correction names one: `/component/` for `/components/`, and the name of a
    /// schema the document does not define for the one it does (`EventSubscriptionEnds`
    /// for `EventSubscriptionEnded`). `None` when the pointer resolves or no correction does.
    pub fn corrected(&self, pointer: &str) -> Option<String> {
        const SLIPS: [(&str, &str); 2] = [
            ("/component/", "/components/"),
            ("/EventSubscriptionEnds", "/EventSubscriptionEnded"),
        ];
        if self.resolve(pointer).is_ok() {
            return None;
        }
        let fixed = SLIPS
            .iter()
            .fold(pointer.to_owned(), |p, (slip, fix)| p.replace(slip, fix));
        (fixed != pointer && self.resolve(&fixed).is_ok()).then_some(fixed)
    }

    /// `pointer` in the one form [`SchemaSet::property`] gives (`#/a/b`), to compare pointers
    /// written with and without `#`.
    pub fn canonical(pointer: &str) -> Option<String> {
        Pointer::parse(pointer).ok().map(|p| p.to_string())
    }

    /// The pointer written in a feature file, once checked to name a schema of the document.
    fn schema_at(&self, written: &str) -> Result<Pointer, SchemaError> {
        let mut known = self
            .inner
            .schemas_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = known.get(written) {
            return Ok(at.clone());
        }
        let at = self.find_schema(written)?;
        known.insert(written.to_owned(), at.clone());
        Ok(at)
    }

    /// [`SchemaSet::schema_at`], looked up in the document.
    fn find_schema(&self, written: &str) -> Result<Pointer, SchemaError> {
        let at = Pointer::parse(written)?;
        let root = &self.inner.spec.root;
        let Some(found) = at.lookup(root) else {
            return Err(pointer::unknown_pointer(
                root,
                &at,
                written,
                &self.inner.source,
            ));
        };
        let not_a_schema = |hint: String| SchemaError::NotASchema {
            spec: self.inner.source.clone(),
            pointer: written.trim().to_owned(),
            hint,
        };
        match found {
            Value::Bool(_) => Ok(at),
            Value::Object(map) if map.contains_key("content") => Err(not_a_schema(format!(
                "it is a response or request body; use {:?}",
                at.child("content")
                    .child("application/json")
                    .child("schema")
                    .to_string()
            ))),
            Value::Object(map) if map.get("schema").is_some_and(Value::is_object) => {
                Err(not_a_schema(format!(
                    "it is a header or parameter; use {:?}",
                    at.child("schema").to_string()
                )))
            }
            Value::Object(_) => Ok(at),
            other => Err(not_a_schema(format!(
                "it is {other}; point at a schema object"
            ))),
        }
    }

    /// The compiled schema at `at`, compiled on first use.
    fn validator(&self, at: &Pointer) -> Result<Arc<Validator>, SchemaError> {
        self.inner
            .compiler
            .validator(at)
            .map_err(|reason| SchemaError::InvalidSchema {
                spec: self.inner.source.clone(),
                pointer: at.to_string(),
                reason,
            })
    }

    /// Every schema under `components/schemas`, and the JSON body schema of every
    /// `components/responses` entry.
    fn component_schemas(&self) -> Vec<Pointer> {
        let root = &self.inner.spec.root;
        let components = Pointer::root().child("components");
        let members = |at: &Pointer| -> Vec<String> {
            at.lookup(root)
                .and_then(Value::as_object)
                .map(|map| map.keys().cloned().collect())
                .unwrap_or_default()
        };
        let schemas = components.child("schemas");
        let responses = components.child("responses");
        let mut pointers: Vec<Pointer> = members(&schemas)
            .iter()
            .map(|name| schemas.child(name))
            .collect();
        for name in members(&responses) {
            let content = responses.child(&name).child("content");
            for media in members(&content) {
                let schema = content.child(&media).child("schema");
                if schema.lookup(root).is_some() {
                    pointers.push(schema);
                }
            }
        }
        pointers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Api;

    #[test]
    fn schema_sets_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<SchemaSet>();
    }

    #[test]
    fn builtins_are_loaded_once() {
        let first = SchemaSet::builtin(Api::CamaraV1.current());
        let second = SchemaSet::builtin(Api::CamaraV1.current());
        assert!(Arc::ptr_eq(&first.inner, &second.inner));
        assert_eq!(first.source(), "built-in camara-v1.1 schemas");
    }

    #[test]
    fn the_verbatim_subscriptions_document_compiles() {
        let set = SchemaSet::builtin(crate::Api::CamaraSubscriptionsV0.current());
        assert_eq!(set.source(), "built-in camara-subscriptions-v0.8 schemas");
        let pointers = set.component_schemas();
        for name in [
            "SubscriptionRequest",
            "Subscription",
            "CloudEvent",
            "EventSubscriptionEnded",
        ] {
            let pointer = format!("#/components/schemas/{name}");
            assert!(
                pointers.iter().any(|p| p.to_string() == pointer),
                "{name}: {pointers:?}"
            );
        }
        assert!(!Arc::ptr_eq(
            &set.inner,
            &SchemaSet::builtin(crate::Api::CamaraV1.current()).inner
        ));
    }
}
