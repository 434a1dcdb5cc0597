//! The model-review checklist (`L1xx`), over the models' metadata: no database needed.

use orm_core::Schema;
use orm_core::meta::{AutoTimestamp, ColumnMeta, ForeignKeyMeta, TableMeta};
use orm_core::relation::RelationKind;
use orm_core::value::SqlType;

use super::Finding;

/// Words in a column name that say it holds money.
const MONEY_WORDS: &[&str] = &[
    "price", "prices", "amount", "cost", "costs", "total", "subtotal", "balance", "salary", "fee",
    "fees", "money", "wage", "wages", "payment", "revenue", "tax", "budget", "income", "refund",
];

/// Last words of a column name that say it holds long text.
const LONG_TEXT_WORDS: &[&str] = &[
    "content",
    "body",
    "description",
    "bio",
    "biography",
    "comment",
    "comments",
    "notes",
];

/// A `max_length` under this, on long text, is short.
const LONG_TEXT_MIN: u32 = 1000;

/// Columns people look rows up by, one row each.
const IDENTIFYING: &[&str] = &["email", "username", "slug"];

/// Run the model-review checklist over `schema`'s models. Findings the models silence with
/// `allow_lint(..)` are left out; the rest come in the schema's order, then by code, then
/// in the order the fields are declared.
pub fn lint_models(schema: &Schema) -> Vec<Finding> {
    let mut findings = Vec::new();
    for table in schema.tables() {
        let mut found = Vec::new();
        unindexed_foreign_keys(table, &mut found);
        nullable_required_references(table, &mut found);
        money_in_floats(table, &mut found);
        short_long_text(table, &mut found);
        identifying_not_unique(table, &mut found);
        undeclared_on_delete(table, &mut found);
        missing_timestamps(table, &mut found);
        let position = |f: &Finding| {
            let field = f.field.as_deref();
            table.columns.iter().position(|c| Some(c.field) == field)
        };
        found.sort_by_key(|f| (f.code, position(f)));
        findings.extend(
            found
                .into_iter()
                .filter(|f| !silenced(table, f.code, f.field.as_deref())),
        );
    }
    findings
}

/// True when the model silences `code` for `field` (or for the whole model). An allow on a
/// `belongs_to` field covers its foreign-key column's field too.
fn silenced(table: &TableMeta, code: &str, field: Option<&str>) -> bool {
    table.lint_allows.iter().any(|allow| {
        allow.code == code
            && match (allow.field, field) {
                (None, _) => true,
                (Some(allowed), Some(field)) => {
                    allowed == field
                        || table.relations.iter().any(|relation| {
                            relation.kind == RelationKind::BelongsTo
                                && relation.name == allowed
                                && table
                                    .column(relation.parent_column)
                                    .is_some_and(|c| c.field == field)
                        })
                }
                (Some(_), None) => false,
            }
    })
}

fn finding(
    code: &'static str,
    table: &TableMeta,
    field: Option<&str>,
    message: String,
    fix: String,
) -> Finding {
    Finding {
        code,
        model: table.model.to_owned(),
        field: field.map(str::to_owned),
        message,
        fix,
    }
}

/// The words of a snake_case name, lowercased.
fn words(name: &str) -> Vec<String> {
    name.split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The field of column `name` (the column name when the table has no such column).
fn field_of<'a>(table: &'a TableMeta, name: &'a str) -> &'a str {
    table.column(name).map_or(name, |c| c.field)
}

/// `posts (user_id) -> users`.
fn describe_foreign_key(table: &TableMeta, fk: &ForeignKeyMeta) -> String {
    format!(
        "{} ({}) -> {}",
        table.name,
        fk.columns.join(", "),
        fk.target().name
    )
}

/// The `belongs_to` relationship that declares the foreign key on `column`, if any.
fn belongs_to_of(table: &TableMeta, column: &str) -> Option<&'static str> {
    table
        .relations
        .iter()
        .find(|r| r.kind == RelationKind::BelongsTo && r.parent_column == column)
        .map(|r| r.name)
}

/// L101: a foreign key whose columns lead no index, primary key or unique constraint. A
/// partial (`ignore_deleted`) index does not count: the database cannot use it for the
/// lookups a foreign key makes, which do not filter out deleted rows.
fn unindexed_foreign_keys(table: &TableMeta, found: &mut Vec<Finding>) {
    for fk in table.foreign_keys {
        let leads = |keys: &[&str]| keys.starts_with(fk.columns);
        let unique_column = match fk.columns {
            [column] => table.column(column).is_some_and(|c| c.unique.is_some()),
            _ => false,
        };
        let indexed = table
            .indexes
            .iter()
            .any(|i| !i.ignore_deleted && leads(i.columns))
            || leads(table.primary_key)
            || unique_column;
        if indexed || fk.columns.is_empty() {
            continue;
        }
        let field = field_of(table, fk.columns[0]);
        let how = match belongs_to_of(table, fk.columns[0]) {
            Some(relation) => format!(
                "remove `index = false` from the belongs_to of `{relation}` (it then indexes \
                 `{field}`), "
            ),
            None => format!("add #[orm(index)] to `{field}`, "),
        };
        found.push(finding(
            "L101",
            table,
            Some(field),
            format!(
                "the foreign key {} has no index: deleting a `{}` row scans `{}` for rows \
                 that reference it, and so does loading them",
                describe_foreign_key(table, fk),
                fk.target().name,
                table.name
            ),
            format!(
                "{how}or add a struct-level index(columns = [\"{}\", ..]) that starts with it",
                fk.columns.join("\", \"")
            ),
        ));
    }
}

/// L102: `BelongsTo<T>` (required) over a nullable foreign-key column.
fn nullable_required_references(table: &TableMeta, found: &mut Vec<Finding>) {
    for relation in table.relations {
        if relation.kind != RelationKind::BelongsTo || relation.optional {
            continue;
        }
        let Some(column) = table.column(relation.parent_column) else {
            continue;
        };
        if !column.nullable {
            continue;
        }
        let target = (relation.target)().model;
        found.push(finding(
            "L102",
            table,
            Some(column.field),
            format!(
                "`{}` is a required relationship (BelongsTo<{target}>) but its foreign key \
                 `{}` is nullable: the database accepts rows that have no {target}",
                relation.qualified_name(),
                column.field
            ),
            format!(
                "make `{}` NOT NULL (a type that is not Option), or declare the relationship \
                 `BelongsTo<Option<{target}>>`",
                column.field
            ),
        ));
    }
}

/// L103: a float column whose name says money.
fn money_in_floats(table: &TableMeta, found: &mut Vec<Finding>) {
    for column in table.columns {
        if !matches!(column.ty, SqlType::Real | SqlType::Double) {
            continue;
        }
        let says_money = words(column.name)
            .iter()
            .chain(words(column.field).iter())
            .any(|w| MONEY_WORDS.contains(&w.as_str()));
        if !says_money {
            continue;
        }
        found.push(finding(
            "L103",
            table,
            Some(column.field),
            format!(
                "`{}` looks like money but is a float ({}): floats cannot hold 0.10 exactly, \
                 and sums of them drift",
                column.field,
                if column.ty == SqlType::Real {
                    "real"
                } else {
                    "double precision"
                }
            ),
            format!(
                "declare `{}` as rust_decimal::Decimal with #[orm(numeric(12, 2))] (a \
                 numeric(precision, scale) column: exact)",
                column.field
            ),
        ));
    }
}

/// L104: a short `max_length` on a column whose name says long text.
fn short_long_text(table: &TableMeta, found: &mut Vec<Finding>) {
    for column in table.columns {
        let SqlType::Varchar(length) = column.ty else {
            continue;
        };
        let says_long = [column.name, column.field].iter().any(|name| {
            words(name)
                .last()
                .is_some_and(|w| LONG_TEXT_WORDS.contains(&w.as_str()))
        });
        if length >= LONG_TEXT_MIN || !says_long {
            continue;
        }
        found.push(finding(
            "L104",
            table,
            Some(column.field),
            format!(
                "`{}` holds long text but at most {length} characters (varchar({length})): \
                 PostgreSQL refuses longer values",
                column.field
            ),
            format!(
                "remove max_length from `{}` (unbounded text), or raise it to what the text \
                 can really hold ({LONG_TEXT_MIN} or more)",
                column.field
            ),
        ));
    }
}

/// True when a single-column unique constraint, the primary key or a unique index covers
/// exactly `column`.
fn unique_on(table: &TableMeta, column: &ColumnMeta) -> bool {
    column.unique.is_some()
        || table.primary_key == [column.name]
        || table
            .indexes
            .iter()
            .any(|i| i.unique && i.columns == [column.name])
}

/// L105: `email`, `username` or `slug` that nothing keeps unique.
fn identifying_not_unique(table: &TableMeta, found: &mut Vec<Finding>) {
    for column in table.columns {
        let identifying = IDENTIFYING.contains(&column.name) || IDENTIFYING.contains(&column.field);
        if !identifying || unique_on(table, column) {
            continue;
        }
        found.push(finding(
            "L105",
            table,
            Some(column.field),
            format!(
                "`{}` identifies a row but nothing keeps it unique: two rows can share one, \
                 and a lookup by it returns either",
                column.field
            ),
            format!(
                "add #[orm(unique)] to `{}` (unique(ignore_deleted) on a soft-deleted model), \
                 or a struct-level index(columns = [\"{}\"], unique)",
                column.field, column.name
            ),
        ));
    }
}

/// L106: a foreign key whose `on_delete` was left at its default.
fn undeclared_on_delete(table: &TableMeta, found: &mut Vec<Finding>) {
    for fk in table.foreign_keys {
        if fk.on_delete_declared || fk.columns.is_empty() {
            continue;
        }
        let field = field_of(table, fk.columns[0]);
        let target = fk.target();
        let place = match belongs_to_of(table, fk.columns[0]) {
            Some(relation) => format!(
                "in the belongs_to of `{relation}`: belongs_to(foreign_key = \"{field}\", \
                 on_delete = \"..\")"
            ),
            None => format!(
                "next to the reference: #[orm(references = {}, on_delete = \"..\")]",
                target.model
            ),
        };
        found.push(finding(
            "L106",
            table,
            Some(field),
            format!(
                "the foreign key {} does not say what deleting a `{}` row does to its `{}` \
                 rows (NO ACTION by default: the delete fails while they exist)",
                describe_foreign_key(table, fk),
                target.name,
                table.name
            ),
            format!(
                "decide and declare it {place}: \"cascade\" (delete them too), \"restrict\" \
                 or \"no action\" (refuse the delete), \"set null\" (a nullable key)"
            ),
        ));
    }
}

/// L107: no `created_at` / `updated_at` column, except on a junction table (every column
/// is part of the primary key or of a foreign key).
fn missing_timestamps(table: &TableMeta, found: &mut Vec<Finding>) {
    let junction = !table.foreign_keys.is_empty()
        && table.columns.iter().all(|c| {
            table.primary_key.contains(&c.name)
                || table
                    .foreign_keys
                    .iter()
                    .any(|fk| fk.columns.contains(&c.name))
        });
    if junction {
        return;
    }
    let has = |kind| table.columns.iter().any(|c| c.auto_timestamp == kind);
    let missing: Vec<&str> = [
        (AutoTimestamp::CreatedAt, "created_at"),
        (AutoTimestamp::UpdatedAt, "updated_at"),
    ]
    .into_iter()
    .filter(|(kind, _)| !has(*kind))
    .map(|(_, name)| name)
    .collect();
    if missing.is_empty() {
        return;
    }
    let fields: Vec<String> = missing
        .iter()
        .map(|name| format!("#[orm({name})] pub {name}: DateTime<Utc>"))
        .collect();
    found.push(finding(
        "L107",
        table,
        None,
        format!(
            "`{}` has no {} column: when a row was made or last changed cannot be told",
            table.model,
            missing.join(" or ")
        ),
        format!("add {} (orm sets them)", fields.join(" and ")),
    ));
}
