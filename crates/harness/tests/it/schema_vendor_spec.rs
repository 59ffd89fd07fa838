//! Loading a vendor's OpenAPI document from a file, and the errors for files that are not one.

use std::path::{Path, PathBuf};

use reachability_harness::schema::{SchemaError, SchemaSet};
use serde_json::json;

/// A directory of its own under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "reachability-conformance-schema-{}-{test}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A small OpenAPI 3.0 spec in the style vendors publish: unquoted status keys, `nullable`,
/// shared error responses, an inline 201 body.
const VENDOR_YAML: &str = r##"openapi: 3.0.3
info: {title: Vendor reachability, version: 1.0.0-vendor}
paths:
  /retrieve:
    post:
      operationId: getReachabilityStatus
      responses:
        200:
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ReachabilityStatusResponse'
        201:
          description: inline
          content:
            application/json; charset=utf-8:
              schema:
                type: object
                required: [id]
                properties:
                  id: {type: integer}
        400:
          $ref: '#/components/responses/Generic400'
        default:
          $ref: '#/components/responses/Generic400'
components:
  schemas:
    ReachabilityStatusResponse:
      type: object
      required: [reachable]
      properties:
        reachable: {type: boolean}
        lastStatusTime:
          type: string
          format: date-time
          nullable: true
        note:
          type: string
          nullable: true
          example: {nullable: true}
    PhoneNumber:
      type: string
      pattern: '^\+[1-9][0-9]{4,14}$'
      example: "+123456789"
    ErrorInfo:
      type: object
      required: [status, code, message]
      properties:
        status: {type: integer}
        code: {type: string}
        message: {type: string}
  responses:
    Generic400:
      description: Bad Request
      content:
        application/json:
          schema:
            allOf:
              - $ref: '#/components/schemas/ErrorInfo'
              - properties:
                  status: {enum: [400]}
                  code: {enum: [INVALID_ARGUMENT]}
"##;

#[test]
fn a_vendor_yaml_spec_is_loaded_and_used() {
    let dir = TempDir::new("vendor-yaml");
    let path = dir.write("vendor.yaml", VENDOR_YAML);
    let set = SchemaSet::from_spec_file(&path).unwrap();
    assert_eq!(set.source(), path.display().to_string());

    let response = "#/components/schemas/ReachabilityStatusResponse";
    assert_eq!(
        set.response_pointer("getReachabilityStatus", 200)
            .as_deref(),
        Some(response)
    );
    assert_eq!(
        set.response_pointer("getReachabilityStatus", 201)
            .as_deref(),
        Some(
            "#/paths/~1retrieve/post/responses/201/content/application~1json; charset=utf-8/schema"
        )
    );
    let generic400 = "#/components/responses/Generic400/content/application~1json/schema";
    assert_eq!(
        set.response_pointer("getReachabilityStatus", 400)
            .as_deref(),
        Some(generic400)
    );
    // Undocumented statuses fall back to `default`.
    assert_eq!(
        set.response_pointer("getReachabilityStatus", 503)
            .as_deref(),
        Some(generic400)
    );

    // `nullable: true` allows null; without it, null is a violation.
    set.validate(
        response,
        &json!({"reachable": true, "lastStatusTime": null, "note": null}),
    )
    .unwrap();
    let error = set
        .validate(
            response,
            &json!({"reachable": null, "lastStatusTime": "yesterday"}),
        )
        .unwrap_err();
    assert_eq!(
        error,
        SchemaError::Violations {
            spec: path.display().to_string(),
            pointer: response.into(),
            violations: vec![
                r#"/lastStatusTime: "yesterday" is not a "date-time""#.into(),
                r#"/reachable: null is not of type "boolean""#.into(),
            ],
        }
    );
    set.validate(
        "/paths/~1retrieve/post/responses/201/content/application~1json; charset=utf-8/schema",
        &json!({"id": 7}),
    )
    .unwrap();
    assert_eq!(
        set.non_compliant_value("/components/schemas/PhoneNumber")
            .unwrap(),
        json!("123456789")
    );
    let error = set
        .validate(
            generic400,
            &json!({"status": 400, "code": "OUT_OF_RANGE", "message": "m"}),
        )
        .unwrap_err();
    assert!(
        matches!(&error, SchemaError::Violations { violations, .. }
            if violations == &[r#"/code: "OUT_OF_RANGE" is not one of "INVALID_ARGUMENT""#]),
        "{error:?}"
    );
}

#[test]
fn a_json_openapi_3_1_spec_is_loaded() {
    let dir = TempDir::new("vendor-json");
    let spec = json!({
        "openapi": "3.1.0",
        "paths": {},
        "components": {"schemas": {
            "Status": {"type": ["string", "null"], "enum": ["UP", "DOWN", null]},
            "Anything": {}
        }}
    });
    let path = dir.write("vendor.json", &serde_json::to_string_pretty(&spec).unwrap());
    let set = SchemaSet::from_spec_file(&path).unwrap();
    set.validate("#/components/schemas/Status", &json!(null))
        .unwrap();
    assert_eq!(set.response_pointer("getReachabilityStatus", 200), None);
    assert_eq!(
        set.non_compliant_value("#/components/schemas/Status")
            .unwrap(),
        json!("NOT_A_DOCUMENTED_VALUE")
    );
    assert_eq!(
        set.non_compliant_value("#/components/schemas/Anything")
            .unwrap_err()
            .to_string(),
        format!(
            "the schema at \"#/components/schemas/Anything\" in {} accepted every value tried, so \
             no non-compliant value can be built; point at a schema that constrains the value",
            path.display()
        )
    );
}

#[test]
fn a_broken_yaml_file_gives_file_line_and_what_to_do() {
    let dir = TempDir::new("broken-yaml");
    let path = dir.write(
        "broken.yaml",
        "openapi: 3.0.3\ncomponents:\n  schemas:\n    A: {type: string\n",
    );
    let error = SchemaSet::from_spec_file(&path).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "cannot parse the OpenAPI spec {} at line 5, column 1: did not find expected ',' or \
             '}}', while parsing a flow mapping at line 4 column 8; give an OpenAPI 3 document in \
             YAML or JSON",
            path.display()
        )
    );
}

#[test]
fn a_broken_json_file_gives_file_line_and_what_to_do() {
    let dir = TempDir::new("broken-json");
    let path = dir.write(
        "broken.json",
        "{\n  \"openapi\": \"3.0.3\",\n  \"components\": {,}\n}\n",
    );
    let error = SchemaSet::from_spec_file(&path).unwrap_err();
    assert_eq!(
        error,
        SchemaError::Parse {
            path: path.clone(),
            line: Some(3),
            column: Some(18),
            reason: "key must be a string".into(),
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "cannot parse the OpenAPI spec {} at line 3, column 18: key must be a string; give an \
             OpenAPI 3 document in YAML or JSON",
            path.display()
        )
    );
}

#[test]
fn documents_that_are_not_openapi_3_are_refused() {
    let dir = TempDir::new("not-openapi");
    let swagger = dir.write("swagger.yaml", "swagger: '2.0'\npaths: {}\n");
    assert_eq!(
        SchemaSet::from_spec_file(&swagger).unwrap_err().to_string(),
        format!(
            "{} is not an OpenAPI 3 document: it is a Swagger 2 document; convert it to OpenAPI \
             3; give an OpenAPI 3.0 or 3.1 document (the vendor's API specification) in YAML or \
             JSON",
            swagger.display()
        )
    );
    let notes = dir.write("notes.txt", "just some notes\n");
    assert!(matches!(
        SchemaSet::from_spec_file(&notes).unwrap_err(),
        SchemaError::NotOpenApi { reason, .. } if reason == "the top level is not a mapping"
    ));
}

#[test]
fn a_missing_file_says_which() {
    let path = Path::new("/nonexistent/reachability/spec.yaml");
    let error = SchemaSet::from_spec_file(path).unwrap_err();
    assert!(matches!(&error, SchemaError::Read { path: p, .. } if p == path));
    let message = error.to_string();
    assert!(
        message.starts_with("cannot read the OpenAPI spec /nonexistent/reachability/spec.yaml: ")
            && message.ends_with("; check the path and its permissions"),
        "{message}"
    );
}

#[test]
fn unresolvable_refs_are_reported_when_the_spec_is_loaded() {
    let dir = TempDir::new("bad-ref");
    let path = dir.write(
        "bad-ref.yaml",
        "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/Missing'\n",
    );
    let error = SchemaSet::from_spec_file(&path).unwrap_err();
    assert!(
        matches!(&error, SchemaError::InvalidSchema { pointer, .. } if pointer == "#/components/schemas/A"),
        "{error:?}"
    );
    assert!(
        error.to_string().ends_with(
            "; fix the spec (external $refs are not fetched: bundle them into the document)"
        ),
        "{error}"
    );
}
