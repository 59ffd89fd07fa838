//! JSON Schemas of the API, compiled once and looked up by OpenAPI pointer.
