//! The normalized model: names resolved, keys and generated columns decided, cross-field
//! rules checked. Built from the parsed attributes; expansion reads only this.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{
    Attribute, Data, DeriveInput, Fields, GenericArgument, Ident, Meta, Path, PathArguments, Type,
    Visibility,
};

use crate::attr::{self, CheckBody, DefaultLit, Errors, RelationAttr, RelationKind};
use crate::names;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    No,
    AutoIncrement,
    ClientUuid,
    /// A newtype key marked `auto`: an integer or a UUID as its SQL type says.
    ByKeyType,
    ServerDefault,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum AutoTimestamp {
    No,
    CreatedAt,
    UpdatedAt,
}

pub enum Default {
    Literal(DefaultLit),
    Sql(String),
    CurrentTimestamp,
}

pub struct Column {
    pub ident: Ident,
    /// The field's type as generated code names it (a mixin's field: through the mixin, so
    /// that it resolves where the mixin is declared).
    pub ty: Type,
    /// The field's type as written, for the checks that read its shape (`Option<..>`).
    pub syn_ty: Type,
    /// The `#[orm(flatten)]` field holding this column, for a mixin's column.
    pub parent: Option<Ident>,
    pub name: String,
    pub primary_key: bool,
    /// The name of its single-column UNIQUE constraint, if it has one.
    pub unique: Option<String>,
    pub generated: Generated,
    pub default: Option<Default>,
    pub auto_timestamp: AutoTimestamp,
    pub max_length: Option<attr::Spanned<u32>>,
    /// `validate(..)` rules.
    pub rules: Vec<attr::RuleAttr>,
    pub numeric: Option<attr::Spanned<(u8, u8)>>,
    pub json: Option<attr::Spanned<bool>>,
    /// `auto = ..` as written (checked once the key is known).
    pub auto: Option<attr::Spanned<bool>>,
    /// Where `auto` marks a newtype key generated (its type is checked to be an integer
    /// newtype).
    pub auto_newtype: Option<Span>,
    /// The field's doc comments, repeated on its `New<Model>` field.
    pub docs: Vec<Attribute>,
    /// The field's `#[serde(..)]` attributes, repeated on its `New<Model>` field when that
    /// struct derives a serde trait.
    pub serde: Vec<Attribute>,
    /// `new_attr(..)`: attributes for its `New<Model>` field.
    pub new_attrs: Vec<Meta>,
}

impl Column {
    /// The column's place in the model: `field`, or `mixin_field.field`.
    pub fn member(&self) -> proc_macro2::TokenStream {
        let ident = &self.ident;
        match &self.parent {
            Some(parent) => quote::quote!(#parent.#ident),
            None => quote::quote!(#ident),
        }
    }

    /// Part of the generated `New<Model>` struct.
    pub fn in_new_struct(&self) -> bool {
        self.generated == Generated::No
    }
}

pub struct Index {
    pub name: String,
    /// Keys: column names or `(expressions)`, each maybe followed by ` DESC` / ` ASC`.
    pub columns: Vec<String>,
    pub unique: bool,
    pub ignore_deleted: bool,
    pub predicate: Option<String>,
    pub method: Option<String>,
    pub include: Vec<String>,
}

pub struct ForeignKey {
    pub name: String,
    pub column: usize,
    pub target: Type,
    pub on_delete: &'static str,
    pub on_update: &'static str,
    /// `on_delete` was written (not left at its default).
    pub on_delete_declared: bool,
}

/// A struct-level foreign key over several columns (`foreign_key(..)`).
pub struct CompositeForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub target: Path,
    /// Empty: the target's primary key.
    pub referenced_columns: Vec<String>,
    pub on_delete: &'static str,
    pub on_update: &'static str,
    pub on_delete_declared: bool,
}

/// A relationship field.
pub struct Relation {
    pub ident: Ident,
    /// The field's type (`HasMany<Post>`).
    pub ty: Type,
    pub kind: RelationKind,
    /// `BelongsTo<Option<T>>`.
    pub optional: bool,
    /// The related model.
    pub target: Type,
    /// `has_many` / `has_one`: the target's foreign-key field.
    pub foreign_field: Option<Ident>,
    /// The parent's matched column: its key, or the foreign key of a `belongs_to`.
    pub own_column: usize,
    /// `many_to_many`: the junction model and its declared columns (empty: found from its
    /// foreign keys).
    pub through: Option<Path>,
    pub through_columns: (String, String),
}

/// A check constraint's body.
pub enum Check {
    /// Raw SQL.
    Sql(String),
    /// A typed condition, rendered per dialect.
    Condition(Box<syn::Expr>),
}

pub struct Model {
    pub ident: Ident,
    pub vis: Visibility,
    pub table: String,
    pub columns: Vec<Column>,
    /// `#[orm(flatten)]` fields and their mixin types, whose columns are among `columns`.
    pub flattened: Vec<(Ident, Type)>,
    pub skipped: Vec<Ident>,
    pub primary_key: Vec<usize>,
    pub primary_key_name: String,
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    /// Foreign keys over several columns.
    pub composite_foreign_keys: Vec<CompositeForeignKey>,
    /// `hooks`: calls `orm::Hooks`.
    pub hooks: Option<Span>,
    pub checks: Vec<(String, Check)>,
    pub relations: Vec<Relation>,
    /// `new_derive(..)` / `new_attr(..)`: attributes for the `New<Model>` struct.
    pub new_attrs: Vec<Meta>,
    /// The `New<Model>` struct derives `Serialize` or `Deserialize`: its fields repeat the
    /// model fields' `#[serde(..)]` attributes.
    pub new_serde: bool,
    /// The `#[orm(version)]` column and the attribute's span.
    pub version: Option<(usize, Span)>,
    /// The `#[orm(soft_delete)]` column and the attribute's span.
    pub soft_delete: Option<(usize, Span)>,
    /// `allow_lint(..)`: silenced model-lint findings as (field, code, reason); no field for
    /// the struct's.
    pub lint_allows: Vec<(Option<String>, String, String)>,
    /// `inherits = Base`: a variant of the single-table inheritance `Base`.
    pub inherits: Option<syn::Path>,
}

/// `Option<T>` → `Some(T)`, read from the type's structure.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let segment = path.path.segments.last()?;
    if segment.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// A column type orm maps itself (as opposed to a user's `#[derive(DbType)]` newtype).
fn is_builtin(ty: &Type) -> bool {
    matches!(
        last_ident(ty).as_deref(),
        Some(
            "bool"
                | "i16"
                | "i32"
                | "i64"
                | "f32"
                | "f64"
                | "String"
                | "Vec"
                | "Decimal"
                | "DateTime"
                | "NaiveDateTime"
                | "NaiveDate"
                | "NaiveTime"
                | "Uuid"
                | "Value"
                | "Json"
        )
    )
}

fn last_ident(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else { return None };
    path.path.segments.last().map(|s| s.ident.to_string())
}

/// `BlogPost` → `blog_posts`: snake case, then a simple English plural.
pub fn default_table_name(ident: &Ident) -> String {
    let mut snake = String::new();
    for (i, ch) in ident.to_string().chars().enumerate() {
        if ch.is_uppercase() {
            if i > 0 {
                snake.push('_');
            }
            snake.extend(ch.to_lowercase());
        } else {
            snake.push(ch);
        }
    }
    let consonant_y = snake.ends_with('y')
        && !matches!(
            snake.chars().rev().nth(1),
            Some('a' | 'e' | 'i' | 'o' | 'u')
        );
    if consonant_y {
        snake.pop();
        snake.push_str("ies");
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|end| snake.ends_with(end))
    {
        snake.push_str("es");
    } else {
        snake.push('s');
    }
    snake
}

fn referential_action(value: &attr::Spanned<String>, errors: &mut Errors) -> &'static str {
    match value
        .value
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
        .as_str()
    {
        "cascade" => "Cascade",
        "restrict" => "Restrict",
        "set_null" => "SetNull",
        "set_default" => "SetDefault",
        "no_action" => "NoAction",
        _ => {
            errors.error(
                value.span,
                "unknown referential action; use \"cascade\", \"restrict\", \"set null\", \"set default\" or \"no action\"",
            );
            "NoAction"
        }
    }
}

/// Names generated as associated items of the model, which fields must not shadow.
const RESERVED: &[&str] = &["query", "update", "delete", "get", "find", "TABLE"];

/// The fields of each `#[orm(flatten)]` field's mixin, by the flattened field's name.
pub type Mixins = Vec<(Ident, Vec<syn::Field>)>;

/// Where a field of the model's column list comes from: the struct, or field `index` of the
/// mixin of a flattened field.
type Origin = Option<(Ident, Type, usize)>;

pub fn build(input: &DeriveInput, mixins: &Mixins, errors: &mut Errors) -> Option<Model> {
    let struct_attrs = attr::parse_struct_attrs(&input.attrs, errors);
    if !input.generics.params.is_empty() {
        errors.error(
            input.generics.span(),
            "#[derive(Model)] does not support generic structs",
        );
    }
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => &named.named,
            _ => {
                errors.error(
                    input.ident.span(),
                    "#[derive(Model)] needs a struct with named fields",
                );
                return None;
            }
        },
        _ => {
            errors.error(
                input.ident.span(),
                "#[derive(Model)] needs a struct with named fields",
            );
            return None;
        }
    };
    let table = struct_attrs
        .table
        .as_ref()
        .map_or_else(|| default_table_name(&input.ident), syn::LitStr::value);
    let table_span = struct_attrs
        .table
        .as_ref()
        .map_or_else(|| input.ident.span(), syn::LitStr::span);
    check_identifier(errors, table_span, "table", &table);
    if let (Some(base), None) = (&struct_attrs.inherits, &struct_attrs.table) {
        errors.error(
            base.span(),
            "a variant is stored in its base's table: name it, #[orm(table = \"..\", inherits = Base)]",
        );
    }

    let mut columns = Vec::new();
    let mut skipped = Vec::new();
    let mut field_indexes = Vec::new();
    let mut fk_sources = Vec::new();
    let mut field_pk = Vec::new();
    let mut pending_relations = Vec::new();
    let mut version: Option<(usize, Span)> = None;
    let mut soft_delete: Option<(usize, Span)> = None;
    let mut ignore_deleted_uniques: Vec<(String, Span)> = Vec::new();
    let mut lint_allows: Vec<(Option<String>, String, String)> = struct_attrs
        .allow_lints
        .iter()
        .map(|a| (None, a.code.clone(), a.reason.clone()))
        .collect();
    let mut flattened = Vec::new();
    let mut expanded: Vec<(syn::Field, Origin)> = Vec::new();
    for field in fields {
        let ident = field.ident.clone().expect("named field");
        let Some((span, crowded)) = attr::flatten_attr(&field.attrs) else {
            expanded.push((field.clone(), None));
            continue;
        };
        if crowded {
            errors.error(
                span,
                "flatten stands alone: the mixin's fields carry the column attributes",
            );
        }
        let Some((_, mixin_fields)) = mixins.iter().find(|(name, _)| *name == ident) else {
            errors.error(span, "flatten needs a type that derives Mixin");
            continue;
        };
        for (index, mixin_field) in mixin_fields.iter().enumerate() {
            expanded.push((
                mixin_field.clone(),
                Some((ident.clone(), field.ty.clone(), index)),
            ));
        }
        flattened.push((ident, field.ty.clone()));
    }
    for (field, origin) in &expanded {
        let field = &field;
        let ident = field.ident.clone().expect("named field");
        let mut attrs = attr::parse_field_attrs(&field.attrs, errors);
        for allow in attrs.allow_lints.drain(..) {
            lint_allows.push((Some(ident.to_string()), allow.code, allow.reason));
        }
        if attrs.skip {
            skipped.push(ident);
            continue;
        }
        if let Some(relation) = attrs.relation.take() {
            if RESERVED.contains(&ident.to_string().as_str()) {
                errors.error(ident.span(), format!("a relationship named `{ident}` would collide with the generated `{}::{ident}`; rename the field", input.ident));
            }
            pending_relations.push((ident, field.ty.clone(), relation));
            continue;
        }
        if RESERVED.contains(&ident.to_string().as_str()) {
            errors.error(
                ident.span(),
                format!("a field named `{ident}` would collide with the generated `{}::{ident}`; rename the field and keep the column name with #[orm(column = \"{ident}\")]", input.ident),
            );
        }
        let name = attrs
            .column
            .as_ref()
            .map_or_else(|| ident.to_string(), syn::LitStr::value);
        let name_span = attrs
            .column
            .as_ref()
            .map_or_else(|| ident.span(), syn::LitStr::span);
        check_identifier(errors, name_span, "column", &name);
        let optional = option_inner(&field.ty).is_some();
        if let Some(span) = attrs.primary_key {
            if optional {
                errors.error(span, "a primary key cannot be Option<T>: key columns are never NULL; remove the Option");
            }
            field_pk.push(columns.len());
        }
        let mut auto_timestamp = AutoTimestamp::No;
        let mut generated = Generated::No;
        let mut default = attrs
            .default
            .as_ref()
            .map(|d| Default::Literal(d.value.clone()));
        if let Some(sql) = &attrs.server_default {
            if default.is_some() {
                errors.error(sql.span(), "use either default or server_default, not both");
            }
            default = Some(Default::Sql(sql.value()));
            generated = Generated::ServerDefault;
        }
        for (span, kind) in [
            (attrs.created_at, AutoTimestamp::CreatedAt),
            (attrs.updated_at, AutoTimestamp::UpdatedAt),
        ] {
            if let Some(span) = span {
                if auto_timestamp != AutoTimestamp::No || default.is_some() {
                    errors.error(
                        span,
                        "created_at / updated_at set their own default; remove the other default",
                    );
                }
                auto_timestamp = kind;
                default = Some(Default::CurrentTimestamp);
                generated = Generated::ServerDefault;
            }
        }
        for (span, what, slot) in [
            (attrs.version, "version", &mut version),
            (attrs.soft_delete, "soft_delete", &mut soft_delete),
        ] {
            let Some(span) = span else { continue };
            if slot.is_some() {
                errors.error(
                    span,
                    format!("a model has one {what} column; remove this one"),
                );
            }
            if attrs.primary_key.is_some()
                || default.is_some()
                || auto_timestamp != AutoTimestamp::No
            {
                errors.error(span, format!("a {what} column is maintained by orm: it cannot also be a key, have a default, or be created_at / updated_at"));
            }
            *slot = Some((columns.len(), span));
            generated = Generated::ServerDefault;
        }
        if attrs.version.is_some() {
            if optional {
                errors.error(
                    field.ty.span(),
                    "a version column is never NULL: declare it i64 (or i32)",
                );
            }
            default = Some(Default::Literal(DefaultLit::Int(1)));
        }
        if let Some(span) = attrs.unique_ignore_deleted {
            ignore_deleted_uniques.push((name.clone(), span));
        }
        let base_type = option_inner(&field.ty).unwrap_or(&field.ty);
        if attrs.numeric.is_none() && last_ident(base_type).as_deref() == Some("Decimal") {
            errors.error(
                field.ty.span(),
                "a Decimal field needs its precision and scale: add #[orm(numeric(precision, scale))], e.g. numeric(10, 2)",
            );
        }
        if let (Some(json), Some(_)) = (&attrs.json, &attrs.numeric) {
            errors.error(json.span, "json and numeric cannot be combined");
        }
        if attrs.index {
            field_indexes.push(name.clone());
        }
        if let Some(target) = attrs.references.clone() {
            let target = Type::Path(syn::TypePath {
                qself: None,
                path: target,
            });
            fk_sources.push((columns.len(), target, attrs.on_delete, attrs.on_update));
        } else if let Some(action) = attrs.on_delete.as_ref().or(attrs.on_update.as_ref()) {
            errors.error(
                action.span,
                "on_delete / on_update need references = Model on the same field",
            );
        }
        let unique = (attrs.unique && attrs.unique_ignore_deleted.is_none())
            .then(|| names::generated(&table, std::slice::from_ref(&name), "key"));
        let ty = match origin {
            Some((_, mixin, index)) => syn::parse_quote_spanned!(field.ty.span()=>
                <#mixin as ::orm::__private::MixinField<#index>>::Type),
            None => field.ty.clone(),
        };
        columns.push(Column {
            ident,
            ty,
            syn_ty: field.ty.clone(),
            parent: origin.as_ref().map(|(parent, ..)| parent.clone()),
            name,
            primary_key: attrs.primary_key.is_some(),
            unique,
            generated,
            default,
            auto_timestamp,
            max_length: attrs.max_length,
            rules: std::mem::take(&mut attrs.rules),
            numeric: attrs.numeric,
            json: attrs.json,
            auto: attrs.auto,
            auto_newtype: None,
            docs: field
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect(),
            serde: field
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("serde"))
                .cloned()
                .collect(),
            new_attrs: attrs.new_attrs,
        });
    }

    let mut primary_key = field_pk;
    if let Some(fields) = &struct_attrs.primary_key {
        if !primary_key.is_empty() {
            errors.error(
                fields.first().map_or(Span::call_site(), Ident::span),
                "declare the key either on fields or as primary_key(..) on the struct, not both",
            );
        }
        primary_key.clear();
        for field in fields {
            match columns.iter().position(|c| c.ident == *field) {
                Some(i) => {
                    primary_key.push(i);
                    columns[i].primary_key = true;
                }
                None => errors.error(
                    field.span(),
                    format!("primary_key names `{field}`, which is not a stored field"),
                ),
            }
        }
    }
    if primary_key.is_empty() && !errors.any() {
        errors.error(input.ident.span(), "a model needs a primary key: mark a field #[orm(primary_key)] or add #[orm(primary_key(a, b))] to the struct");
    }
    for column in &columns {
        let Some(auto) = &column.auto else { continue };
        if !column.primary_key {
            errors.error(
                auto.span,
                "auto goes on a primary key: #[orm(primary_key, auto = false)]",
            );
        } else if primary_key.len() > 1 {
            errors.error(
                auto.span,
                "a composite key is never generated: remove auto (every key column is a field of the New struct)",
            );
        }
    }
    if primary_key.len() == 1 {
        let column = &mut columns[primary_key[0]];
        let base = option_inner(&column.syn_ty).unwrap_or(&column.syn_ty);
        let generated = match last_ident(base).as_deref() {
            Some("i16" | "i32" | "i64") => Some(Generated::AutoIncrement),
            Some("Uuid") => Some(Generated::ClientUuid),
            _ => None,
        };
        column.generated = match (&column.auto, generated) {
            // A newtype key (`UserId(i64)`, `DocId(Uuid)`): generated when marked `auto`, as
            // its type says (`AutoKey`, checked by `assert_auto_key`).
            (Some(auto), None) if auto.value && !is_builtin(base) => {
                column.auto_newtype = Some(auto.span);
                Generated::ByKeyType
            }
            (Some(auto), None) => {
                let ty = &column.ty;
                errors.error(
                    auto.span,
                    format!(
                        "auto applies only to a key orm generates (one i16, i32, i64 or Uuid \
                         field); a `{}` key is always given by the caller, as a field of the \
                         New struct: remove auto",
                        quote::quote!(#ty)
                    ),
                );
                column.generated
            }
            (Some(auto), Some(_)) if !auto.value => Generated::No,
            (_, Some(generated)) => generated,
            (None, None) => column.generated,
        };
    }

    let column_names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let mut indexes: Vec<Index> = field_indexes
        .into_iter()
        .map(|name| Index {
            name: names::generated(&table, std::slice::from_ref(&name), "idx"),
            columns: vec![name],
            unique: false,
            ignore_deleted: false,
            predicate: None,
            method: None,
            include: Vec::new(),
        })
        .collect();
    let needs_soft_delete = |errors: &mut Errors, span: Span| {
        if soft_delete.is_none() {
            errors.error(
                span,
                "ignore_deleted needs a soft-delete column: add #[orm(soft_delete)] to a `deleted_at: Option<DateTime<Utc>>` field",
            );
        }
    };
    for (name, span) in ignore_deleted_uniques {
        needs_soft_delete(errors, span);
        indexes.push(Index {
            name: names::generated(&table, std::slice::from_ref(&name), "key"),
            columns: vec![name],
            unique: true,
            ignore_deleted: true,
            predicate: None,
            method: None,
            include: Vec::new(),
        });
    }
    for index in &struct_attrs.indexes {
        let cols: Vec<String> = index.columns.iter().map(syn::LitStr::value).collect();
        // A key is a column (maybe followed by DESC / ASC) or an (expression), as written.
        let key_column = |key: &str| -> Option<String> {
            let key = key.trim();
            if key.starts_with('(') {
                return None;
            }
            let upper = key.to_ascii_uppercase();
            let cut = [" DESC", " ASC"]
                .iter()
                .find(|suffix| upper.ends_with(*suffix))
                .map_or(key.len(), |suffix| key.len() - suffix.len());
            Some(key[..cut].trim().to_owned())
        };
        let include: Vec<String> = index.include.iter().map(syn::LitStr::value).collect();
        let checked = index
            .columns
            .iter()
            .zip(&cols)
            .filter_map(|(lit, key)| key_column(key).map(|col| (lit, col)))
            .chain(index.include.iter().zip(include.iter().cloned()));
        for (lit, col) in checked {
            if !column_names.contains(&col) {
                errors.error(
                    lit.span(),
                    format!(
                        "index column `{col}` is not a column of `{table}`; columns: {}",
                        column_names.join(", ")
                    ),
                );
            }
        }
        // Names are made of the keys' words.
        let words: Vec<String> = cols
            .iter()
            .map(|key| {
                key.chars()
                    .map(|c| {
                        if c.is_alphanumeric() {
                            c.to_ascii_lowercase()
                        } else {
                            '_'
                        }
                    })
                    .collect::<String>()
                    .split('_')
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join("_")
            })
            .collect();
        indexes.push(Index {
            name: match &index.name {
                Some(name) => {
                    check_identifier(errors, name.span(), "index", &name.value());
                    name.value()
                }
                None => names::generated(&table, &words, if index.unique { "key" } else { "idx" }),
            },
            columns: cols,
            unique: index.unique,
            ignore_deleted: index.ignore_deleted.is_some(),
            predicate: index.predicate.as_ref().map(syn::LitStr::value),
            method: index.method.as_ref().map(syn::LitStr::value),
            include,
        });
        if let Some(span) = index.ignore_deleted {
            needs_soft_delete(errors, span);
        }
    }
    let relations = pending_relations
        .into_iter()
        .filter_map(|(ident, ty, attr)| {
            resolve_relation(
                ident,
                ty,
                attr,
                &columns,
                &primary_key,
                &table,
                &mut fk_sources,
                &mut indexes,
                errors,
            )
        })
        .collect();
    let foreign_keys = fk_sources
        .into_iter()
        .map(|(column, target, on_delete, on_update)| ForeignKey {
            name: names::generated(&table, std::slice::from_ref(&columns[column].name), "fkey"),
            column,
            target,
            on_delete_declared: on_delete.is_some(),
            on_delete: on_delete.map_or("NoAction", |a| referential_action(&a, errors)),
            on_update: on_update.map_or("NoAction", |a| referential_action(&a, errors)),
        })
        .collect();
    let mut composite_foreign_keys = Vec::new();
    for fk in &struct_attrs.foreign_keys {
        let Some(target) = fk.references.clone() else {
            continue;
        };
        for lit in &fk.columns {
            if !column_names.contains(&lit.value()) {
                errors.error(
                    lit.span(),
                    format!(
                        "foreign key column `{}` is not a column of `{table}`; columns: {}",
                        lit.value(),
                        column_names.join(", ")
                    ),
                );
            }
        }
        if !fk.referenced_columns.is_empty() && fk.referenced_columns.len() != fk.columns.len() {
            errors.error(
                fk.span,
                "foreign_key: columns and referenced_columns need as many names each",
            );
        }
        let cols: Vec<String> = fk.columns.iter().map(syn::LitStr::value).collect();
        composite_foreign_keys.push(CompositeForeignKey {
            name: names::generated(&table, &cols, "fkey"),
            columns: cols,
            target,
            referenced_columns: fk
                .referenced_columns
                .iter()
                .map(syn::LitStr::value)
                .collect(),
            on_delete_declared: fk.on_delete.is_some(),
            on_delete: fk
                .on_delete
                .as_ref()
                .map_or("NoAction", |a| referential_action(a, errors)),
            on_update: fk
                .on_update
                .as_ref()
                .map_or("NoAction", |a| referential_action(a, errors)),
        });
    }
    let checks = struct_attrs
        .checks
        .iter()
        .map(|c| {
            check_identifier(errors, c.name.span(), "check constraint", &c.name.value());
            let body = match &c.body {
                CheckBody::Sql(sql) => Check::Sql(sql.value()),
                CheckBody::Condition(condition) => Check::Condition(condition.clone()),
            };
            (c.name.value(), body)
        })
        .collect();
    let primary_key_name = names::primary_key(&table);
    let mut new_serde = false;
    for attr in &struct_attrs.new_attrs {
        match attr::derived_paths(attr) {
            Ok(paths) => {
                new_serde |= paths.iter().any(|path| {
                    path.segments
                        .last()
                        .is_some_and(|s| s.ident == "Serialize" || s.ident == "Deserialize")
                });
            }
            Err(error) => errors.push(error),
        }
    }
    Some(Model {
        ident: input.ident.clone(),
        vis: input.vis.clone(),
        table,
        columns,
        flattened,
        skipped,
        primary_key,
        primary_key_name,
        indexes,
        foreign_keys,
        composite_foreign_keys,
        hooks: struct_attrs.hooks,
        checks,
        relations,
        new_attrs: struct_attrs.new_attrs,
        new_serde,
        version,
        soft_delete,
        lint_allows,
        inherits: struct_attrs.inherits,
    })
}

type FkSource = (
    usize,
    Type,
    Option<attr::Spanned<String>>,
    Option<attr::Spanned<String>>,
);

/// The model type of a relationship field (`HasMany<Post>` → `Post`), and whether it is
/// `Option<..>` (`BelongsTo<Option<User>>`).
fn relation_target(ty: &Type, kind: RelationKind, errors: &mut Errors) -> Option<(Type, bool)> {
    let expected = kind.field_type();
    let found = (|| {
        let Type::Path(path) = ty else { return None };
        let segment = path.path.segments.last()?;
        let PathArguments::AngleBracketed(args) = &segment.arguments else {
            return None;
        };
        let names_kind = segment.ident == expected
            || (segment.ident == "ToMany" && kind.is_to_many())
            || (segment.ident == "ToOne" && !kind.is_to_many());
        match args.args.first()? {
            GenericArgument::Type(inner) if names_kind => Some(inner.clone()),
            _ => None,
        }
    })();
    let Some(inner) = found else {
        errors.error(
            ty.span(),
            format!("{} goes on a `{expected}<Model>` field", kind.attr()),
        );
        return None;
    };
    match option_inner(&inner) {
        Some(model) if kind == RelationKind::BelongsTo => Some((model.clone(), true)),
        Some(_) => {
            errors.error(
                inner.span(),
                format!(
                    "`{expected}<Option<..>>` is not a relationship type; use `{expected}<Model>`"
                ),
            );
            None
        }
        None => Some((inner, false)),
    }
}

#[allow(clippy::too_many_arguments)]
fn resolve_relation(
    ident: Ident,
    ty: Type,
    attr: RelationAttr,
    columns: &[Column],
    primary_key: &[usize],
    table: &str,
    fk_sources: &mut Vec<FkSource>,
    indexes: &mut Vec<Index>,
    errors: &mut Errors,
) -> Option<Relation> {
    let kind = attr.kind;
    let (target, optional) = relation_target(&ty, kind, errors)?;
    let column_list = || {
        columns
            .iter()
            .map(|c| c.ident.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let single_key = || match primary_key {
        [key] => Some(*key),
        _ => None,
    };
    let mut relation = Relation {
        ident,
        ty,
        kind,
        optional,
        target,
        foreign_field: None,
        own_column: 0,
        through: None,
        through_columns: (String::new(), String::new()),
    };
    if kind == RelationKind::BelongsTo {
        let fk = attr.foreign_key?;
        let Some(index) = columns.iter().position(|c| c.ident == fk.value()) else {
            errors.error(
                fk.span(),
                format!(
                    "belongs_to names `{}`, which is not a field of this model; fields: {}",
                    fk.value(),
                    column_list()
                ),
            );
            return None;
        };
        let column = &columns[index];
        let nullable = option_inner(&column.syn_ty).is_some();
        if nullable != optional {
            let model = &relation.target;
            let want = if nullable {
                format!("BelongsTo<Option<{}>>", quote::quote!(#model))
            } else {
                format!("BelongsTo<{}>", quote::quote!(#model))
            };
            errors.error(
                relation.ty.span(),
                format!(
                    "the foreign key `{}` is {}: declare this field `{want}`",
                    column.ident,
                    if nullable {
                        "nullable (Option<..>)"
                    } else {
                        "NOT NULL"
                    }
                ),
            );
        }
        match fk_sources.iter().find(|(c, ..)| *c == index) {
            Some(_) if attr.on_delete.is_some() || attr.on_update.is_some() => errors.error(
                attr.span,
                format!("`{}` already declares its foreign key with references = ..; put on_delete / on_update there", column.ident),
            ),
            Some(_) => {}
            None => fk_sources.push((index, relation.target.clone(), attr.on_delete, attr.on_update)),
        }
        let indexed = indexes
            .iter()
            .any(|i| i.columns.first() == Some(&column.name))
            || column.primary_key && primary_key.len() == 1;
        if attr.index != Some(false) && !indexed {
            indexes.push(Index {
                name: names::generated(table, std::slice::from_ref(&column.name), "idx"),
                columns: vec![column.name.clone()],
                unique: false,
                ignore_deleted: false,
                predicate: None,
                method: None,
                include: Vec::new(),
            });
        }
        relation.own_column = index;
        return Some(relation);
    }
    let Some(key) = single_key() else {
        errors.error(
            attr.span,
            format!(
                "{} needs a model with a single-column primary key",
                kind.attr()
            ),
        );
        return None;
    };
    relation.own_column = key;
    match kind {
        RelationKind::ManyToMany => {
            relation.through = attr.through;
            match (attr.from, attr.to) {
                (Some(from), Some(to)) => relation.through_columns = (from.value(), to.value()),
                (None, None) => {}
                (Some(lit), None) | (None, Some(lit)) => errors.error(
                    lit.span(),
                    "name both junction columns: many_to_many(through = .., from = \"..\", to = \"..\")",
                ),
            }
        }
        _ => {
            let fk = attr.foreign_key?;
            relation.foreign_field = Some(Ident::new(&fk.value(), fk.span()));
        }
    }
    Some(relation)
}

/// A name that PostgreSQL would silently truncate (over 63 bytes) is a compile error: the
/// same model must mean the same schema on every backend.
fn check_identifier(errors: &mut Errors, span: Span, what: &str, name: &str) {
    if name.len() > names::MAX_IDENTIFIER {
        errors.error(
            span,
            format!(
                "the {what} name `{name}` is {} bytes; PostgreSQL identifiers are at most {} \
                 bytes (longer ones are cut off): choose a shorter name",
                name.len(),
                names::MAX_IDENTIFIER
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::default_table_name;
    use quote::format_ident;

    #[test]
    fn table_names_are_snake_case_plurals() {
        assert_eq!(default_table_name(&format_ident!("User")), "users");
        assert_eq!(default_table_name(&format_ident!("BlogPost")), "blog_posts");
        assert_eq!(default_table_name(&format_ident!("Category")), "categories");
        assert_eq!(default_table_name(&format_ident!("Address")), "addresses");
        assert_eq!(default_table_name(&format_ident!("Day")), "days");
    }
}
