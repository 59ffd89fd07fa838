//! The requirements of an operation's contract, derived from its OpenAPI document rather
//! than remembered: every constraint of the request body schema (a JSON document at all,
//! each required member, each property's type, each pattern, format, length and range,
//! `minProperties`, the required sets of `anyOf`) and every case of its security
//! requirement (no header, another scheme, a malformed token, a token never issued, an
//! expired one, a revoked one, a missing scope, and, where tokens may be bound to a device,
//! a token bound to another device).
//!
//! Each body requirement comes with the smallest change that breaks it alone
//! ([`BodyBreak`]), checked against the schema; a requirement for which no such change can
//! be made has none, and the coverage test reports it.

use serde_json::{Value, json};

use super::generate;
use super::pointer::{Pointer, follow_refs};

/// How deep the body schema is walked (also stops on recursive schemas).
const MAX_DEPTH: usize = 6;

/// One requirement of the contract.
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    /// What is required, e.g. `request body $.device.phoneNumber: pattern ^\+[1-9][0-9]{4,14}$`.
    pub id: String,
    /// The clause that requires it, e.g. `#/components/schemas/PhoneNumber`.
    pub source: String,
    /// What breaks it.
    pub kind: RequirementKind,
}

/// What a requirement constrains, and how to break it.
#[derive(Clone, Debug, PartialEq)]
pub enum RequirementKind {
    /// A constraint of the request body; `None` when no change breaking it alone was found.
    Body(Option<BodyBreak>),
    /// A case of the operation's security requirement.
    Security(SecurityCase),
}

/// A request body that breaks one requirement: a value set at a path of the body (the
/// intermediate objects filled with valid ones when the body lacks them), or raw text.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyBreak {
    /// Raw text instead of a JSON document.
    Raw(String),
    /// `value` at `path` (member names; empty: the whole body).
    Set {
        /// Member names from the body's root.
        path: Vec<String>,
        /// A valid value for each object on the way, used where the body has none.
        fills: Vec<Value>,
        /// The breaking value.
        value: Value,
    },
}

/// The body a request breaking the requirement sends.
#[derive(Clone, Debug, PartialEq)]
pub enum BrokenBody {
    /// A JSON document.
    Json(Value),
    /// Raw text.
    Raw(String),
}

impl BodyBreak {
    /// `base` (a valid request body) broken this way.
    pub fn apply(&self, base: &Value) -> BrokenBody {
        let (path, fills, value) = match self {
            BodyBreak::Raw(text) => return BrokenBody::Raw(text.clone()),
            BodyBreak::Set { path, fills, value } => (path, fills, value),
        };
        let Some((last, parents)) = path.split_last() else {
            return BrokenBody::Json(value.clone());
        };
        let mut body = base.clone();
        let mut current = &mut body;
        for (name, fill) in parents.iter().zip(fills) {
            if !current.is_object() {
                *current = json!({});
            }
            // An object: indexing inserts `null` for a missing member, replaced below.
            let child = &mut current[name.as_str()];
            if !child.is_object() {
                *child = fill.clone();
            }
            current = child;
        }
        if !current.is_object() {
            *current = json!({});
        }
        current[last.as_str()] = value.clone();
        BrokenBody::Json(body)
    }
}

/// One way a request can fail the operation's security requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecurityCase {
    /// No `Authorization` header.
    NoHeader,
    /// A valid token under another authorization scheme than `Bearer`.
    WrongScheme,
    /// A bearer value that is not a token (outside RFC 6750's b64token).
    MalformedToken,
    /// A well-formed token the server never issued.
    UnissuedToken,
    /// A token whose lifetime has ended.
    ExpiredToken,
    /// A token revoked before use.
    RevokedToken,
    /// A valid token without the operation's scope.
    MissingScope,
    /// A token bound to a device, with the body naming another device.
    BoundToAnotherDevice,
}

impl SecurityCase {
    /// Every case, in a stable order.
    pub const ALL: [SecurityCase; 8] = [
        SecurityCase::NoHeader,
        SecurityCase::WrongScheme,
        SecurityCase::MalformedToken,
        SecurityCase::UnissuedToken,
        SecurityCase::ExpiredToken,
        SecurityCase::RevokedToken,
        SecurityCase::MissingScope,
        SecurityCase::BoundToAnotherDevice,
    ];

    /// The requirement's id: what must be refused.
    pub fn id(self) -> &'static str {
        match self {
            SecurityCase::NoHeader => "security: a request without Authorization header is refused",
            SecurityCase::WrongScheme => {
                "security: a valid token under another authorization scheme is refused"
            }
            SecurityCase::MalformedToken => "security: a malformed bearer token is refused",
            SecurityCase::UnissuedToken => {
                "security: a well-formed token the server never issued is refused"
            }
            SecurityCase::ExpiredToken => "security: an expired token is refused",
            SecurityCase::RevokedToken => "security: a revoked token is refused",
            SecurityCase::MissingScope => {
                "security: a token without the operation's scope is refused"
            }
            SecurityCase::BoundToAnotherDevice => {
                "security: a token bound to a device does not serve another device"
            }
        }
    }

    /// The clause that requires it (besides the operation's `security` entry).
    fn clause(self) -> &'static str {
        match self {
            SecurityCase::NoHeader | SecurityCase::WrongScheme => "RFC 6750 §3.1",
            SecurityCase::MalformedToken => "RFC 6750 §2.1, §3.1 invalid_request",
            SecurityCase::UnissuedToken | SecurityCase::ExpiredToken => {
                "RFC 6750 §3.1 invalid_token"
            }
            SecurityCase::RevokedToken => "RFC 7009 §2, RFC 6750 §3.1 invalid_token",
            SecurityCase::MissingScope => "RFC 6750 §3.1 insufficient_scope",
            SecurityCase::BoundToAnotherDevice => {
                "OAS: the device of a three-legged token is the request's device"
            }
        }
    }
}

/// The requirements of the request body schema at `request` (a pointer into `root`).
pub(super) fn body_requirements(
    root: &Value,
    request: &Pointer,
    rejects: &dyn Fn(&Value) -> bool,
) -> Vec<Requirement> {
    let Some(schema) = request.lookup(root) else {
        return Vec::new();
    };
    let mut walk = Walk {
        root,
        rejects,
        base: generate::valid_value(root, schema).unwrap_or_else(|| json!({})),
        out: vec![Requirement {
            id: "request body: a JSON document (not empty)".into(),
            source: "OAS requestBody: content application/json".into(),
            kind: RequirementKind::Body(Some(BodyBreak::Raw(String::new()))),
        }],
    };
    walk.node(schema, &[], &[], request.to_string(), 0);
    walk.out
}

/// The security requirements of the operation `operation_id` in `root`: none when the
/// document declares no security for it.
pub(super) fn security_requirements(root: &Value, operation_id: &str) -> Vec<Requirement> {
    let Some(operation) = find_operation(root, operation_id) else {
        return Vec::new();
    };
    let entries = operation
        .get("security")
        .or_else(|| root.get("security"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut cases: Vec<(SecurityCase, String)> = Vec::new();
    for entry in entries.iter().filter_map(Value::as_object) {
        for (name, scopes) in entry {
            let at = format!("#/components/securitySchemes/{name}");
            let scheme = root
                .pointer(&format!("/components/securitySchemes/{name}"))
                .cloned()
                .unwrap_or(Value::Null);
            let has_scopes = scopes.as_array().is_some_and(|s| !s.is_empty());
            for case in SecurityCase::ALL {
                let applies = match case {
                    SecurityCase::MissingScope => has_scopes,
                    SecurityCase::BoundToAnotherDevice => binds_devices(&scheme),
                    _ => true,
                };
                if applies && !cases.iter().any(|(c, _)| *c == case) {
                    cases.push((case, at.clone()));
                }
            }
        }
    }
    cases.sort();
    cases
        .into_iter()
        .map(|(case, at)| Requirement {
            id: case.id().to_owned(),
            source: format!("{at}; {}", case.clause()),
            kind: RequirementKind::Security(case),
        })
        .collect()
}

/// Whether tokens of `scheme` may be bound to a device: OpenID Connect, or OAuth 2.0 with
/// a flow other than client credentials (whose tokens identify no user).
fn binds_devices(scheme: &Value) -> bool {
    match scheme.get("type").and_then(Value::as_str) {
        Some("openIdConnect") => true,
        Some("oauth2") => scheme
            .get("flows")
            .and_then(Value::as_object)
            .is_some_and(|flows| flows.keys().any(|f| f != "clientCredentials")),
        _ => false,
    }
}

/// The operation object whose `operationId` is `id`.
fn find_operation<'a>(root: &'a Value, id: &str) -> Option<&'a Value> {
    root.get("paths")?
        .as_object()?
        .values()
        .filter_map(Value::as_object)
        .flat_map(|methods| methods.values())
        .find(|op| op.get("operationId").and_then(Value::as_str) == Some(id))
}

/// The walk over the body schema, collecting requirements.
struct Walk<'a> {
    root: &'a Value,
    rejects: &'a dyn Fn(&Value) -> bool,
    /// A valid body, the base every break is checked on.
    base: Value,
    out: Vec<Requirement>,
}

impl<'a> Walk<'a> {
    fn node(
        &mut self,
        schema: &'a Value,
        path: &[String],
        fills: &[Value],
        source: String,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let (schema, target) = follow_refs(self.root, schema);
        let source = target.map_or(source, |t| t.to_string());
        let kind = generate::primary_type(schema);
        if let Some(kind) = kind {
            let wrong = wrong_kinds(kind, path.is_empty());
            self.push(path, fills, &source, format!("type {kind}"), wrong);
        }
        let strings = || -> Vec<Value> {
            generate::invalid_values(self.root, schema)
                .into_iter()
                .filter(Value::is_string)
                .collect()
        };
        for keyword in ["pattern", "format", "minLength", "maxLength"] {
            if let Some(value) = schema.get(keyword) {
                let shown = value.as_str().map_or(value.to_string(), str::to_owned);
                self.push(
                    path,
                    fills,
                    &source,
                    format!("{keyword} {shown}"),
                    strings(),
                );
            }
        }
        for keyword in ["minimum", "maximum"] {
            if let Some(bound) = schema.get(keyword).and_then(Value::as_f64) {
                let step = if keyword == "minimum" { -1.0 } else { 1.0 };
                let outside = generate::number_near(bound, step);
                self.push(
                    path,
                    fills,
                    &source,
                    format!("{keyword} {bound}"),
                    vec![outside],
                );
            }
        }
        if kind == Some("object") {
            self.object(schema, path, fills, &source, depth);
        }
    }

    /// The requirements of an object's own constraints, then of each property.
    fn object(
        &mut self,
        schema: &'a Value,
        path: &[String],
        fills: &[Value],
        source: &str,
        depth: usize,
    ) {
        let valid = generate::valid_value(self.root, schema).unwrap_or_else(|| json!({}));
        for name in generate::required_names(schema) {
            let mut without = valid.clone();
            if let Some(members) = without.as_object_mut() {
                members.remove(&name);
            }
            self.push(
                path,
                fills,
                source,
                format!("required member {name}"),
                vec![without],
            );
        }
        let sets = generate::alternative_required_sets(schema);
        if !sets.is_empty() {
            let mut bare = valid.clone();
            if let Some(members) = bare.as_object_mut() {
                members.retain(|name, _| !sets.iter().flatten().any(|n| n == name));
            }
            let shown: Vec<String> = sets.iter().map(|s| format!("[{}]", s.join(", "))).collect();
            self.push(
                path,
                fills,
                source,
                format!("one of the required sets {}", shown.join(" or ")),
                vec![bare],
            );
        }
        if let Some(min) = schema.get("minProperties").and_then(Value::as_u64)
            && min > 0
        {
            self.push(
                path,
                fills,
                source,
                format!("minProperties {min}"),
                vec![json!({})],
            );
        }
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return;
        };
        for (name, property) in properties {
            let mut child_path = path.to_vec();
            child_path.push(name.clone());
            // A fill for each object on the child's way: this object's, unless it is the body.
            let mut child_fills = fills.to_vec();
            if !path.is_empty() {
                child_fills.push(valid.clone());
            }
            let child_source = format!("{source}/properties/{name}");
            self.node(property, &child_path, &child_fills, child_source, depth + 1);
        }
    }

    /// Records the requirement `what` at `path`, with the first candidate that breaks the
    /// base body.
    fn push(
        &mut self,
        path: &[String],
        fills: &[Value],
        source: &str,
        what: String,
        candidates: Vec<Value>,
    ) {
        let found = candidates.into_iter().find_map(|value| {
            let broken = BodyBreak::Set {
                path: path.to_vec(),
                fills: fills.to_vec(),
                value,
            };
            match broken.apply(&self.base) {
                BrokenBody::Json(body) if (self.rejects)(&body) => Some(broken),
                _ => None,
            }
        });
        let at = if path.is_empty() {
            "$".to_owned()
        } else {
            format!("$.{}", path.join("."))
        };
        self.out.push(Requirement {
            id: format!("request body {at}: {what}"),
            source: source.to_owned(),
            kind: RequirementKind::Body(found),
        });
    }
}

/// Values of other JSON types than `kind`, `null` first for the whole body.
fn wrong_kinds(kind: &str, whole_body: bool) -> Vec<Value> {
    let mut values = vec![
        json!(12345),
        json!(1.5),
        json!("not-of-this-type"),
        json!(true),
        json!([]),
        json!({}),
    ];
    let numeric = matches!(kind, "integer" | "number");
    values.retain(|v| match kind {
        "string" => !v.is_string(),
        "object" => !v.is_object(),
        "array" => !v.is_array(),
        "boolean" => !v.is_boolean(),
        _ if numeric => !v.is_number() || (kind == "integer" && v.is_f64()),
        _ => true,
    });
    if whole_body {
        values.insert(0, Value::Null);
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> Value {
        json!({
            "paths": {"/r": {"post": {
                "operationId": "op",
                "security": [{"oidc": ["read"]}]
            }}},
            "components": {
                "securitySchemes": {
                    "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://x"},
                    "cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://x", "scopes": {}}}}
                },
                "schemas": {"Req": {
                    "type": "object",
                    "required": ["n"],
                    "properties": {
                        "n": {"type": "integer", "minimum": 0, "maximum": 9},
                        "s": {"type": "string", "pattern": "^a+$"}
                    }
                }}
            }
        })
    }

    /// A stand-in for the compiled schema: `n` an integer in 0..=9, `s` a string of `a`s.
    fn rejects(body: &Value) -> bool {
        let Some(members) = body.as_object() else {
            return true;
        };
        let n_ok = members
            .get("n")
            .and_then(Value::as_i64)
            .is_some_and(|n| (0..=9).contains(&n) && members["n"].is_i64());
        let s_ok = members.get("s").is_none_or(|s| {
            s.as_str()
                .is_some_and(|s| !s.is_empty() && s.chars().all(|c| c == 'a'))
        });
        !(n_ok && s_ok)
    }

    #[test]
    fn every_constraint_of_the_body_becomes_a_requirement_with_its_break() {
        let root = root();
        let found = body_requirements(
            &root,
            &Pointer::parse("#/components/schemas/Req").unwrap(),
            &rejects,
        );
        let ids: Vec<&str> = found.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "request body: a JSON document (not empty)",
                "request body $: type object",
                "request body $: required member n",
                "request body $.n: type integer",
                "request body $.n: minimum 0",
                "request body $.n: maximum 9",
                "request body $.s: type string",
                "request body $.s: pattern ^a+$",
            ]
        );
        let base = json!({"n": 3});
        let broken: Vec<BrokenBody> = found
            .iter()
            .map(|r| match &r.kind {
                RequirementKind::Body(Some(b)) => b.apply(&base),
                other => panic!("{}: no break: {other:?}", r.id),
            })
            .collect();
        assert_eq!(broken[0], BrokenBody::Raw(String::new()));
        assert_eq!(broken[1], BrokenBody::Json(Value::Null));
        assert_eq!(broken[2], BrokenBody::Json(json!({})));
        assert_eq!(broken[4], BrokenBody::Json(json!({"n": -1})));
        assert_eq!(broken[5], BrokenBody::Json(json!({"n": 10})));
        for body in &broken[1..] {
            let BrokenBody::Json(body) = body else {
                panic!("{body:?}")
            };
            assert!(rejects(body), "{body} breaks nothing");
        }
    }

    #[test]
    fn a_constraint_nothing_can_break_has_no_break() {
        let root = root();
        let accepts_all = |_: &Value| false;
        let found = body_requirements(
            &root,
            &Pointer::parse("#/components/schemas/Req").unwrap(),
            &accepts_all,
        );
        assert!(
            found[1..]
                .iter()
                .all(|r| r.kind == RequirementKind::Body(None))
        );
    }

    #[test]
    fn breaks_fill_the_objects_on_their_way() {
        let nested = BodyBreak::Set {
            path: vec!["device".into(), "port".into()],
            fills: vec![json!({"phone": "+1"})],
            value: json!(-1),
        };
        assert_eq!(
            nested.apply(&json!({})),
            BrokenBody::Json(json!({"device": {"phone": "+1", "port": -1}}))
        );
        assert_eq!(
            nested.apply(&json!({"device": {"phone": "+2"}})),
            BrokenBody::Json(json!({"device": {"phone": "+2", "port": -1}}))
        );
        assert_eq!(
            nested.apply(&json!({"device": "text"})),
            BrokenBody::Json(json!({"device": {"phone": "+1", "port": -1}}))
        );
    }

    #[test]
    fn security_cases_follow_the_scheme_and_its_scopes() {
        let mut root = root();
        let ids = |root: &Value| -> Vec<SecurityCase> {
            security_requirements(root, "op")
                .into_iter()
                .map(|r| match r.kind {
                    RequirementKind::Security(case) => case,
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        assert_eq!(ids(&root), SecurityCase::ALL);
        root["paths"]["/r"]["post"]["security"] = json!([{"cc": []}]);
        let two_legged = ids(&root);
        assert!(!two_legged.contains(&SecurityCase::BoundToAnotherDevice));
        assert!(!two_legged.contains(&SecurityCase::MissingScope));
        assert!(two_legged.contains(&SecurityCase::ExpiredToken));
        root["paths"]["/r"]["post"]
            .as_object_mut()
            .unwrap()
            .remove("security");
        assert!(ids(&root).is_empty());
        assert!(security_requirements(&root, "no-such-operation").is_empty());
    }
}
