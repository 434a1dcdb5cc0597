use orm_core::error::{ConstraintInfo, ErrorKind};
use sqlx::error::DatabaseError;

/// Extended result codes of SQLite constraint failures.
const SQLITE_CONSTRAINT_CHECK: &str = "275";
const SQLITE_CONSTRAINT_FOREIGNKEY: &str = "787";
const SQLITE_CONSTRAINT_NOTNULL: &str = "1299";
const SQLITE_CONSTRAINT_PRIMARYKEY: &str = "1555";
/// `ON DELETE RESTRICT` failures arrive as trigger constraints with the foreign-key message.
const SQLITE_CONSTRAINT_TRIGGER: &str = "1811";
const SQLITE_CONSTRAINT_UNIQUE: &str = "2067";

/// The kind of an extended result code that is neither a constraint failure nor a lost
/// connection: `SQLITE_BUSY` and `SQLITE_LOCKED` with their extended codes (`BUSY_RECOVERY`,
/// `BUSY_SNAPSHOT`, `BUSY_TIMEOUT`, `LOCKED_SHAREDCACHE`, `LOCKED_VTAB`: another connection
/// held the database longer than the busy timeout), `SQLITE_INTERRUPT` (a statement timeout
/// interrupted the statement) and `SQLITE_READONLY` (a write under `PRAGMA query_only`, or
/// to a read-only file).
pub fn code_kind(code: &str) -> Option<ErrorKind> {
    Some(match code {
        "5" | "261" | "517" | "773" | "6" | "262" | "518" => ErrorKind::Busy,
        "9" => ErrorKind::QueryCanceled,
        "8" | "264" | "520" | "776" | "1032" | "1288" | "1544" => ErrorKind::ReadOnly,
        _ => return None,
    })
}

/// Parse the detail of `UNIQUE constraint failed: users.email, users.name` into the table
/// and its columns (SQLite names a unique index over expressions instead: `index 'name'`,
/// returned as the constraint).
fn table_and_columns(detail: &str) -> (Option<String>, Option<String>, Option<Vec<String>>) {
    if let Some(index) = detail
        .strip_prefix("index '")
        .and_then(|rest| rest.strip_suffix('\''))
    {
        return (None, Some(index.to_owned()), None);
    }
    let mut table = None;
    let mut columns = Vec::new();
    for qualified in detail.split(", ") {
        let Some((t, column)) = qualified.split_once('.') else {
            return (None, None, None);
        };
        table.get_or_insert_with(|| t.to_owned());
        columns.push(column.to_owned());
    }
    (table, None, Some(columns))
}

/// Classify a SQLite database error by its extended result code: the constraint kind and
/// what the message tells of it (the table and columns of a unique or NOT NULL failure, the
/// name of a check; nothing of a foreign key), or `None` when it is not a constraint
/// violation. orm completes the rest from the models (see `orm_core::constraint`).
pub fn classify_sqlite_error(error: &dyn DatabaseError) -> Option<(ErrorKind, ConstraintInfo)> {
    let kind = match error.code()?.as_ref() {
        SQLITE_CONSTRAINT_UNIQUE | SQLITE_CONSTRAINT_PRIMARYKEY => ErrorKind::UniqueViolation,
        SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
        SQLITE_CONSTRAINT_TRIGGER if error.message().starts_with("FOREIGN KEY") => {
            ErrorKind::ForeignKeyViolation
        }
        SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
        SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
        _ => return None,
    };
    let message = error.message().to_owned();
    let mut info = ConstraintInfo::default();
    let detail = message
        .split_once("constraint failed: ")
        .map(|(_, detail)| detail);
    match (kind, detail) {
        (ErrorKind::CheckViolation, Some(name)) => info.constraint = Some(name.to_owned()),
        (ErrorKind::UniqueViolation | ErrorKind::NotNullViolation, Some(detail)) => {
            (info.table, info.constraint, info.columns) = table_and_columns(detail);
        }
        _ => {}
    }
    info.message = message;
    Some((kind, info))
}

#[cfg(test)]
mod tests {
    use super::table_and_columns;

    #[test]
    fn parses_table_and_columns_from_constraint_messages() {
        assert_eq!(
            table_and_columns("users.email"),
            (Some("users".into()), None, Some(vec!["email".into()]))
        );
        assert_eq!(
            table_and_columns("post_tags.post_id, post_tags.tag_id"),
            (
                Some("post_tags".into()),
                None,
                Some(vec!["post_id".into(), "tag_id".into()])
            )
        );
        assert_eq!(
            table_and_columns("index 'users_lower_email'"),
            (None, Some("users_lower_email".into()), None)
        );
        assert_eq!(table_and_columns("no table here"), (None, None, None));
    }
}
