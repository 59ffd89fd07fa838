//! What can go wrong when loading schemas, looking them up or checking a value.

use std::fmt;
use std::path::PathBuf;

/// An error from [`SchemaSet`](super::SchemaSet): each message says what was wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaError {
    /// The spec file could not be read.
    Read {
        /// The file that was asked for.
        path: PathBuf,
        /// What the operating system said.
        reason: String,
    },
    /// The spec file is neither valid YAML nor valid JSON.
    Parse {
        /// The file that was read.
        path: PathBuf,
        /// 1-based line of the error, when the parser knows it.
        line: Option<usize>,
        /// 1-based column of the error, when the parser knows it.
        column: Option<usize>,
        /// What the parser said.
        reason: String,
    },
    /// The document parsed, but it is not an OpenAPI 3.0 or 3.1 document.
    NotOpenApi {
        /// Where the document came from.
        spec: String,
        /// What is missing or unsupported.
        reason: String,
    },
    /// A pointer that is not written as `#/...` or `/...`.
    BadPointer {
        /// The pointer as given.
        pointer: String,
    },
    /// Nothing in the document at this pointer.
    UnknownPointer(Box<UnknownPointer>),
    /// Something is at this pointer, but it is not a schema.
    NotASchema {
        /// Where the document came from.
        spec: String,
        /// The pointer as given.
        pointer: String,
        /// What is there instead and which pointer to use.
        hint: String,
    },
    /// The schema at this pointer cannot be compiled (a bad `$ref`, an invalid keyword value...).
    InvalidSchema {
        /// Where the document came from.
        spec: String,
        /// The pointer of the schema, as `#/...`.
        pointer: String,
        /// What the compiler said.
        reason: String,
    },
    /// The value does not comply with the schema.
    Violations {
        /// Where the document came from.
        spec: String,
        /// The pointer of the schema, as `#/...`.
        pointer: String,
        /// One entry per violation: `<instance path>: <what is wrong>`.
        violations: Vec<String>,
    },
    /// The schema accepts every value tried, so no non-compliant value could be built.
    NoNonCompliantValue {
        /// Where the document came from.
        spec: String,
        /// The pointer of the schema, as `#/...`.
        pointer: String,
    },
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaError::Read { path, reason } => write!(
                f,
                "cannot read the OpenAPI spec {}: {reason}; check the path and its permissions",
                path.display()
            ),
            SchemaError::Parse {
                path,
                line,
                column,
                reason,
            } => {
                write!(f, "cannot parse the OpenAPI spec {}", path.display())?;
                if let Some(line) = line {
                    write!(f, " at line {line}")?;
                    if let Some(column) = column {
                        write!(f, ", column {column}")?;
                    }
                }
                write!(f, ": {reason}; give an OpenAPI 3 document in YAML or JSON")
            }
            SchemaError::NotOpenApi { spec, reason } => write!(
                f,
                "{spec} is not an OpenAPI 3 document: {reason}; give an OpenAPI 3.0 or 3.1 \
                 document (the vendor's API specification) in YAML or JSON"
            ),
            SchemaError::BadPointer { pointer } => write!(
                f,
                "{pointer:?} is not a schema pointer: write it as \"#/components/schemas/Name\" \
                 or \"/components/schemas/Name\""
            ),
            SchemaError::UnknownPointer(unknown) => unknown.fmt(f),
            SchemaError::NotASchema {
                spec,
                pointer,
                hint,
            } => write!(f, "{pointer:?} in {spec} is not a schema: {hint}"),
            SchemaError::InvalidSchema {
                spec,
                pointer,
                reason,
            } => write!(
                f,
                "the schema at {pointer:?} in {spec} cannot be compiled: {reason}; fix the spec \
                 (external $refs are not fetched: bundle them into the document)"
            ),
            SchemaError::Violations {
                spec,
                pointer,
                violations,
            } => {
                let count = violations.len();
                let noun = if count == 1 {
                    "violation"
                } else {
                    "violations"
                };
                write!(
                    f,
                    "the value does not comply with the schema at {pointer:?} ({spec}), {count} {noun}:"
                )?;
                for violation in violations {
                    write!(f, "\n  - {violation}")?;
                }
                Ok(())
            }
            SchemaError::NoNonCompliantValue { spec, pointer } => write!(
                f,
                "the schema at {pointer:?} in {spec} accepted every value tried, so no \
                 non-compliant value can be built; point at a schema that constrains the value"
            ),
        }
    }
}

impl std::error::Error for SchemaError {}

/// Where a pointer that names nothing stops matching the document, and what is there instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPointer {
    /// Where the document came from.
    pub spec: String,
    /// The pointer as given.
    pub pointer: String,
    /// The deepest part of the pointer that does exist, as `#/...`.
    pub found: String,
    /// The first name of the pointer that is not under `found`.
    pub missing: String,
    /// The closest existing pointer, when one is close enough to be a likely typo.
    pub suggestion: Option<String>,
    /// Names available under `found`, sorted.
    pub available: Vec<String>,
}

impl fmt::Display for UnknownPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let UnknownPointer {
            spec,
            pointer,
            found,
            missing,
            suggestion,
            available,
        } = self;
        write!(
            f,
            "no schema at {pointer:?} in {spec}: {found:?} has no {missing:?}"
        )?;
        if let Some(suggestion) = suggestion {
            write!(f, " (did you mean {suggestion:?}?)")?;
        }
        if available.is_empty() {
            f.write_str(" and nothing else below it")?;
        } else {
            write!(f, "; it has: {}", available.join(", "))?;
        }
        f.write_str("; fix the pointer in the feature file or use the spec that defines it")
    }
}
