//! The `migrate` command line of `examples/migrate`, run as a user runs it, on a SQLite file:
//! autogenerate, upgrade, check (exit 0, then 1 once the database drifts), history, current,
//! sql, downgrade, stamp, and two heads refused until `merge`.

use std::path::Path;
use std::process::{Command, Output};

fn migrate(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_migrate"))
        .current_dir(dir)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.join("app.db").display()),
        )
        .args(args)
        .output()
        .expect("run the migrate binary")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let output = migrate(dir, args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "migrate {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn failed(dir: &Path, args: &[&str]) -> String {
    let output = migrate(dir, args);
    assert!(!output.status.success(), "migrate {args:?} should fail");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn revisions(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir.join("migrations"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn the_whole_lifecycle_through_the_command_line() {
    let dir = std::env::temp_dir().join(format!("orm-migrate-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");

    let drift = failed(&dir, &["check"]);
    assert!(drift.contains("create table cli_authors"), "{drift}");

    let created = ok(&dir, &["revision", "--autogenerate", "-m", "create tables"]);
    assert!(created.contains("create table cli_notes"), "{created}");
    assert_eq!(revisions(&dir).len(), 1);

    let sql = ok(&dir, &["sql"]);
    assert!(sql.contains("CREATE TABLE \"cli_authors\""), "{sql}");
    assert!(ok(&dir, &["current"]).contains("base"));

    let upgraded = ok(&dir, &["upgrade", "head"]);
    assert!(upgraded.contains("1 revision(s) applied"), "{upgraded}");
    assert!(ok(&dir, &["check"]).contains("matches"));
    assert!(ok(&dir, &["current"]).contains("(head)"));
    assert!(ok(&dir, &["history"]).contains("applied"));
    let nothing = ok(&dir, &["revision", "--autogenerate", "-m", "nothing"]);
    assert!(nothing.contains("no revision written"), "{nothing}");
    assert_eq!(revisions(&dir).len(), 1);

    let downgraded = ok(&dir, &["downgrade", "-1"]);
    assert!(downgraded.contains("1 revision(s) undone"), "{downgraded}");
    failed(&dir, &["check"]);
    ok(&dir, &["stamp", "head"]).contains("stamped");
    assert!(ok(&dir, &["current"]).contains("(head)"));
    ok(&dir, &["stamp", "base"]);
    ok(&dir, &["upgrade"]);

    // Two revisions made from the same parent: refused, named, then merged.
    let head = revisions(&dir)[0].trim_end_matches(".toml").to_owned();
    for branch in ["left", "right"] {
        let text = format!("id = \"{branch}\"\nparents = [\"{head}\"]\nmessage = \"{branch}\"\n");
        std::fs::write(dir.join("migrations").join(format!("{branch}.toml")), text)
            .expect("write a branch revision");
    }
    let refused = failed(&dir, &["upgrade"]);
    assert!(
        refused.contains("left") && refused.contains("right"),
        "{refused}"
    );
    assert!(ok(&dir, &["merge", "-m", "join"]).contains("created"));
    assert!(ok(&dir, &["upgrade"]).contains("3 revision(s) applied"));
    let _ = std::fs::remove_dir_all(&dir);
}
