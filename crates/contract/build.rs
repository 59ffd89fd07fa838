//! Embeds every contract folder of `contracts/` (a `profile.toml` and the OpenAPI document it
//! names): adding an API version is adding a folder, with no change to the code.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read at run time, not baked in with `env!`: a build script compiled in another
    // checkout (a copied `target/`) must still read this one's contracts.
    let manifest_dir =
        std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR set by cargo");
    let root = Path::new(&manifest_dir).join("../../contracts");
    println!("cargo::rerun-if-changed={}", root.display());
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.join("profile.toml").is_file())
        .collect();
    folders.sort();
    let mut out =
        String::from("/// Every contract folder, in name order.\nconst SOURCES: &[Source] = &[\n");
    for folder in folders {
        let name = folder
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 folder name");
        let mut documents = Vec::new();
        for entry in std::fs::read_dir(&folder).expect("a readable contract folder") {
            let path = entry.expect("a readable entry").path();
            println!("cargo::rerun-if-changed={}", path.display());
            let file = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            if file != "profile.toml" && path.is_file() {
                documents.push((file, path.display().to_string()));
            }
        }
        documents.sort();
        let profile = folder.join("profile.toml").display().to_string();
        writeln!(
            out,
            "    Source {{ folder: {name:?}, profile: include_str!({profile:?}), documents: &["
        )
        .unwrap();
        for (file, path) in documents {
            writeln!(out, "        ({file:?}, include_str!({path:?})),").unwrap();
        }
        out.push_str("    ] },\n");
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR set by cargo")).join("sources.rs");
    // A new file renamed into place, never a rewrite: a `target/` copied with hard links
    // shares its files with another checkout's, which must keep its own list.
    let fresh = dest.with_extension("rs.new");
    std::fs::write(&fresh, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", fresh.display()));
    std::fs::rename(&fresh, &dest)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}
