//! Rebuild when a revision file is added to `migrations/` (they are embedded in the binary).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
