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

/// Parse `UNIQUE constraint failed: users.email, users.name` into table and column.
fn table_and_column(message: &str) -> (Option<String>, Option<String>) {
    let Some((_, detail)) = message.split_once("constraint failed: ") else {
        return (None, None);
    };
    let first = detail.split(", ").next().unwrap_or(detail);
    match first.split_once('.') {
        Some((table, column)) => (Some(table.to_owned()), Some(column.to_owned())),
        None => (None, None),
    }
}

/// Classify a SQLite database error by its extended result code: the constraint kind and
/// what the message tells of it, or `None` when it is not a constraint violation.
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
    if kind == ErrorKind::CheckViolation {
        info.constraint = message
            .split_once("constraint failed: ")
            .map(|(_, name)| name.to_owned());
    } else {
        (info.table, info.column) = table_and_column(&message);
    }
    info.message = message;
    Some((kind, info))
}

#[cfg(test)]
mod tests {
    use super::table_and_column;

    #[test]
    fn parses_table_and_column_from_constraint_messages() {
        assert_eq!(
            table_and_column("UNIQUE constraint failed: users.email"),
            (Some("users".into()), Some("email".into()))
        );
        assert_eq!(
            table_and_column("FOREIGN KEY constraint failed"),
            (None, None)
        );
    }
}
