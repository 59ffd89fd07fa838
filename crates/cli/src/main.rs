//! The `reachability-conformance` command; all behaviour lives in the library.

fn main() {
    std::process::exit(reachability_conformance::cli::main());
}
