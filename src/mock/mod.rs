//! The embedded reference implementation of the API, with fault switches.
