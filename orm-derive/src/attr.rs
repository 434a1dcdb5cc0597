//! Parsing `#[orm(..)]` attributes into typed structs. Every error is collected with the
//! span of its token; parsing continues after an error so all of them are reported at once.

use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned as _;
use syn::{
    Attribute, Expr, ExprLit, ExprUnary, Ident, Lit, LitBool, LitInt, LitStr, Meta, Path, Token,
    UnOp,
};

/// Collects errors.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(existing) => existing.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub fn error(&mut self, span: proc_macro2::Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    /// True when an error was reported already.
    pub fn any(&self) -> bool {
        self.0.is_some()
    }

    pub fn finish(self) -> Result<(), syn::Error> {
        match self.0 {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

pub const STRUCT_KEYS: &str = "table, primary_key(..), index(..), check(..), foreign_key(..), \
                               hooks, new_derive(..), new_attr(..), allow_lint(..), inherits";
pub const FIELD_KEYS: &str = "primary_key, auto, column, unique, index, max_length, numeric, \
default, server_default, created_at, updated_at, version, soft_delete, references, on_delete, \
on_update, json, jsonb, skip, validate(..), new_attr(..), has_many(..), has_one(..), \
belongs_to(..), many_to_many(..), allow_lint(..), flatten";

/// The model-lint codes (`migrate lint`, orm-migrate's `lint` module), each with whether it
/// is about the whole model (silenced on the struct) rather than one field.
const MODEL_LINT_CODES: &[(&str, bool)] = &[
    ("L101", false),
    ("L102", false),
    ("L103", false),
    ("L104", false),
    ("L105", false),
    ("L106", false),
    ("L107", true),
];

/// `allow_lint(code = "L105", reason = "..")`: a model-lint finding silenced, with why.
pub struct LintAllowAttr {
    pub code: String,
    pub reason: String,
}

/// The relationship kinds a field can declare.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    HasMany,
    HasOne,
    BelongsTo,
    ManyToMany,
}

impl RelationKind {
    pub fn attr(self) -> &'static str {
        match self {
            RelationKind::HasMany => "has_many",
            RelationKind::HasOne => "has_one",
            RelationKind::BelongsTo => "belongs_to",
            RelationKind::ManyToMany => "many_to_many",
        }
    }

    pub fn is_to_many(self) -> bool {
        matches!(self, RelationKind::HasMany | RelationKind::ManyToMany)
    }

    /// The field type the attribute goes with.
    pub fn field_type(self) -> &'static str {
        match self {
            RelationKind::HasMany => "HasMany",
            RelationKind::HasOne => "HasOne",
            RelationKind::BelongsTo => "BelongsTo",
            RelationKind::ManyToMany => "ManyToMany",
        }
    }

    fn keys(self) -> &'static str {
        match self {
            RelationKind::HasMany | RelationKind::HasOne => "foreign_key",
            RelationKind::BelongsTo => "foreign_key, on_delete, on_update, index",
            RelationKind::ManyToMany => "through, from, to",
        }
    }
}

/// `has_many(..)`, `has_one(..)`, `belongs_to(..)` or `many_to_many(..)` on a field.
pub struct RelationAttr {
    pub kind: RelationKind,
    pub span: proc_macro2::Span,
    pub foreign_key: Option<LitStr>,
    pub through: Option<Path>,
    pub from: Option<LitStr>,
    pub to: Option<LitStr>,
    pub on_delete: Option<Spanned<String>>,
    pub on_update: Option<Spanned<String>>,
    pub index: Option<bool>,
}

/// A literal `default = ..` value.
#[derive(Clone)]
pub enum DefaultLit {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

pub struct Spanned<T> {
    pub value: T,
    pub span: proc_macro2::Span,
}

#[derive(Default)]
pub struct FieldAttrs {
    pub primary_key: Option<proc_macro2::Span>,
    /// `auto = false` / `auto = true` (or bare `auto`) on a key.
    pub auto: Option<Spanned<bool>>,
    /// `new_attr(..)`: attributes for this field of the `New<Model>` struct.
    pub new_attrs: Vec<Meta>,
    pub column: Option<LitStr>,
    pub unique: bool,
    /// `unique(ignore_deleted)`: unique among rows that are not soft-deleted.
    pub unique_ignore_deleted: Option<proc_macro2::Span>,
    pub index: bool,
    pub max_length: Option<Spanned<u32>>,
    pub numeric: Option<Spanned<(u8, u8)>>,
    pub default: Option<Spanned<DefaultLit>>,
    pub server_default: Option<LitStr>,
    pub created_at: Option<proc_macro2::Span>,
    pub updated_at: Option<proc_macro2::Span>,
    /// `version`: the optimistic-locking counter.
    pub version: Option<proc_macro2::Span>,
    /// `soft_delete`: the column deleting sets.
    pub soft_delete: Option<proc_macro2::Span>,
    pub references: Option<Path>,
    pub on_delete: Option<Spanned<String>>,
    pub on_update: Option<Spanned<String>>,
    pub json: Option<Spanned<bool>>,
    pub skip: bool,
    pub relation: Option<RelationAttr>,
    /// `allow_lint(..)`: silenced model-lint findings.
    pub allow_lints: Vec<LintAllowAttr>,
    /// `validate(..)`: rules checked before every write.
    pub rules: Vec<RuleAttr>,
}

/// One rule of `validate(..)`, with the span of its name (where a misuse is reported).
pub struct RuleAttr {
    pub span: proc_macro2::Span,
    pub kind: RuleKind,
}

/// What a `validate(..)` rule checks.
pub enum RuleKind {
    /// `length(min = .., max = ..)`.
    Length(Option<u32>, Option<u32>),
    /// `range(min = .., max = ..)`, bounds as decimal literals.
    Range(Option<String>, Option<String>),
    /// `email`.
    Email,
    /// `one_of("a", "b")`.
    OneOf(Vec<LitStr>),
    /// `custom = path::to::check`: `fn(&T) -> Result<(), String>`.
    Custom(Path),
}

const VALIDATE_RULES: &str = "length(min = .., max = ..), range(min = .., max = ..), email, \
                              one_of(\"a\", \"b\"), custom = path::to::check";

/// A number literal, negative or not, as decimal text.
fn parse_number(input: syn::parse::ParseStream) -> syn::Result<String> {
    let negative = input.peek(Token![-]);
    if negative {
        input.parse::<Token![-]>()?;
    }
    let digits = if input.peek(syn::LitFloat) {
        input.parse::<syn::LitFloat>()?.base10_digits().to_owned()
    } else {
        input.parse::<LitInt>()?.base10_digits().to_owned()
    };
    Ok(if negative {
        format!("-{digits}")
    } else {
        digits
    })
}

fn parse_rules(
    meta: &syn::meta::ParseNestedMeta,
    errors: &mut Errors,
) -> syn::Result<Vec<RuleAttr>> {
    let mut rules = Vec::new();
    meta.parse_nested_meta(|rule| {
        let span = rule.path.span();
        let name = rule.path.get_ident().map(ToString::to_string).unwrap_or_default();
        let kind = match name.as_str() {
            "email" => RuleKind::Email,
            "custom" => RuleKind::Custom(rule.value()?.parse()?),
            "length" | "range" => {
                let (mut min, mut max) = (None, None);
                rule.parse_nested_meta(|bound| {
                    let which = if bound.path.is_ident("min") {
                        &mut min
                    } else if bound.path.is_ident("max") {
                        &mut max
                    } else {
                        return Err(bound.error("expected `min = ..` or `max = ..`"));
                    };
                    *which = Some(parse_number(bound.value()?)?);
                    Ok(())
                })?;
                if min.is_none() && max.is_none() {
                    errors.error(span, format!("{name}(..) needs `min = ..`, `max = ..` or both"));
                }
                if name == "length" {
                    let mut count = |text: Option<String>| -> Option<u32> {
                        let text = text?;
                        let parsed = text.parse::<u32>().ok();
                        if parsed.is_none() {
                            errors.error(span, "length bounds are whole numbers of characters, e.g. length(min = 1, max = 40)");
                        }
                        parsed
                    };
                    RuleKind::Length(count(min), count(max))
                } else {
                    RuleKind::Range(min, max)
                }
            }
            "one_of" => {
                let content;
                syn::parenthesized!(content in rule.input);
                let values = syn::punctuated::Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
                RuleKind::OneOf(values.into_iter().collect())
            }
            _ => {
                errors.error(span, format!("unknown validation rule; use {VALIDATE_RULES}"));
                return Ok(());
            }
        };
        rules.push(RuleAttr { span, kind });
        Ok(())
    })?;
    Ok(rules)
}

pub struct IndexAttr {
    pub columns: Vec<LitStr>,
    pub unique: bool,
    pub name: Option<LitStr>,
    /// `where = ".."`: the condition of a partial index (raw SQL).
    pub predicate: Option<LitStr>,
    /// `method = "gin"`: the PostgreSQL index method.
    pub method: Option<LitStr>,
    /// `include = [..]`: PostgreSQL `INCLUDE` columns.
    pub include: Vec<LitStr>,
    /// `ignore_deleted`: only rows that are not soft-deleted are indexed.
    pub ignore_deleted: Option<proc_macro2::Span>,
}

/// `foreign_key(columns = [..], references = Model, referenced_columns = [..], on_delete = ..)`.
pub struct ForeignKeyAttr {
    pub span: proc_macro2::Span,
    pub columns: Vec<LitStr>,
    pub references: Option<Path>,
    pub referenced_columns: Vec<LitStr>,
    pub on_delete: Option<Spanned<String>>,
    pub on_update: Option<Spanned<String>>,
}

pub struct CheckAttr {
    pub name: LitStr,
    pub body: CheckBody,
}

/// What a check constraint checks.
pub enum CheckBody {
    /// `expr = "raw SQL"`.
    Sql(LitStr),
    /// `condition = <a Rust expression of type Condition>`.
    Condition(Box<syn::Expr>),
}

#[derive(Default)]
pub struct StructAttrs {
    pub table: Option<LitStr>,
    /// `new_derive(..)` and `new_attr(..)`: attributes for the `New<Model>` struct.
    pub new_attrs: Vec<Meta>,
    pub primary_key: Option<Vec<Ident>>,
    pub indexes: Vec<IndexAttr>,
    pub checks: Vec<CheckAttr>,
    /// `foreign_key(..)`: foreign keys over several columns.
    pub foreign_keys: Vec<ForeignKeyAttr>,
    /// `allow_lint(..)`: model-lint findings silenced for the whole model.
    /// `hooks`: the model implements `orm::Hooks`.
    pub hooks: Option<proc_macro2::Span>,
    pub allow_lints: Vec<LintAllowAttr>,
    /// `inherits = Base`: the model is a variant of the single-table inheritance `Base`.
    pub inherits: Option<Path>,
}

/// Levenshtein distance, for suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// ` (did you mean `x`?)` for the closest valid key within two edits, or nothing.
fn did_you_mean(key: &str, valid: &str) -> String {
    valid
        .split(", ")
        .map(|k| k.trim_end_matches("(..)"))
        .map(|k| (distance(key, k), k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

/// Skip the value of an unknown key so parsing can go on to the next one.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        input.parse::<Expr>()?;
    } else if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

/// `#[orm(flatten)]` on a field: its span, and whether other keys stand beside it (they may
/// not: the mixin's fields carry the attributes).
pub fn flatten_attr(attrs: &[Attribute]) -> Option<(proc_macro2::Span, bool)> {
    for attr in orm_attrs(attrs) {
        let Ok(metas) =
            attr.parse_args_with(syn::punctuated::Punctuated::<Meta, Token![,]>::parse_terminated)
        else {
            continue;
        };
        if let Some(flatten) = metas.iter().find(|m| m.path().is_ident("flatten")) {
            let alone = metas.len() == 1 && orm_attrs(attrs).count() == 1;
            return Some((flatten.path().span(), !alone));
        }
    }
    None
}

fn orm_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("orm"))
}

fn key_name(path: &Path) -> String {
    path.get_ident()
        .map_or_else(|| "?".to_owned(), Ident::to_string)
}

fn parse_default(expr: &Expr) -> Option<DefaultLit> {
    match expr {
        Expr::Lit(ExprLit { lit, .. }) => match lit {
            Lit::Bool(b) => Some(DefaultLit::Bool(b.value)),
            Lit::Int(i) => i.base10_parse().ok().map(DefaultLit::Int),
            Lit::Float(f) => f.base10_parse().ok().map(DefaultLit::Float),
            Lit::Str(s) => Some(DefaultLit::Str(s.value())),
            _ => None,
        },
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => match parse_default(expr)? {
            DefaultLit::Int(i) => Some(DefaultLit::Int(-i)),
            DefaultLit::Float(f) => Some(DefaultLit::Float(-f)),
            _ => None,
        },
        _ => None,
    }
}

fn flag(seen: &mut bool, errors: &mut Errors, path: &Path) {
    if *seen {
        errors.error(
            path.span(),
            format!("duplicate attribute `{}`", key_name(path)),
        );
    }
    *seen = true;
}

pub fn parse_field_attrs(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in orm_attrs(attrs) {
        let result = attr.parse_nested_meta(|meta| {
            let path = &meta.path;
            let key = key_name(path);
            let span = path.span();
            match key.as_str() {
                "primary_key" => out.primary_key = Some(span),
                "auto" => {
                    let value = if meta.input.peek(Token![=]) {
                        meta.value()?.parse::<LitBool>()?.value
                    } else {
                        true
                    };
                    out.auto = Some(Spanned { value, span });
                }
                "new_attr" => out.new_attrs.extend(parse_new_attrs(&meta, errors)?),
                "column" => out.column = Some(meta.value()?.parse()?),
                "unique" => {
                    flag(&mut out.unique, errors, path);
                    if meta.input.peek(syn::token::Paren) {
                        meta.parse_nested_meta(|inner| {
                            if inner.path.is_ident("ignore_deleted") {
                                out.unique_ignore_deleted = Some(inner.path.span());
                            } else {
                                errors.error(inner.path.span(), "unknown unique option; the one option is ignore_deleted: #[orm(unique(ignore_deleted))]");
                            }
                            Ok(())
                        })?;
                    }
                }
                "index" => flag(&mut out.index, errors, path),
                "validate" => out.rules.extend(parse_rules(&meta, errors)?),
                "skip" => flag(&mut out.skip, errors, path),
                "flatten" => errors.error(
                    span,
                    "flatten goes on a model's field whose type derives Mixin, not inside a mixin",
                ),
                "created_at" => out.created_at = Some(span),
                "updated_at" => out.updated_at = Some(span),
                "version" => out.version = Some(span),
                "soft_delete" => out.soft_delete = Some(span),
                "json" => out.json = Some(Spanned { value: false, span }),
                "jsonb" => out.json = Some(Spanned { value: true, span }),
                "max_length" => {
                    let lit: LitInt = meta.value()?.parse()?;
                    match lit.base10_parse::<u32>() {
                        Ok(n) if n > 0 => out.max_length = Some(Spanned { value: n, span: lit.span() }),
                        _ => errors.error(lit.span(), "max_length must be a positive integer, e.g. max_length = 255"),
                    }
                }
                "numeric" => {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let p: LitInt = content.parse()?;
                    content.parse::<Token![,]>()?;
                    let s: LitInt = content.parse()?;
                    match (p.base10_parse::<u8>(), s.base10_parse::<u8>()) {
                        (Ok(p), Ok(s)) if p > 0 && s <= p => {
                            out.numeric = Some(Spanned { value: (p, s), span })
                        }
                        _ => errors.error(
                            span,
                            "numeric needs 0 < precision and scale <= precision, e.g. numeric(10, 2)",
                        ),
                    }
                }
                "default" => {
                    let expr: Expr = meta.value()?.parse()?;
                    match parse_default(&expr) {
                        Some(value) => out.default = Some(Spanned { value, span: expr.span() }),
                        None => errors.error(
                            expr.span(),
                            "default must be a literal (true, 42, 1.5, \"text\"); for SQL use server_default = \"..\"",
                        ),
                    }
                }
                "server_default" => out.server_default = Some(meta.value()?.parse()?),
                "has_many" | "has_one" | "belongs_to" | "many_to_many" => {
                    let kind = match key.as_str() {
                        "has_many" => RelationKind::HasMany,
                        "has_one" => RelationKind::HasOne,
                        "belongs_to" => RelationKind::BelongsTo,
                        _ => RelationKind::ManyToMany,
                    };
                    if out.relation.is_some() {
                        errors.error(span, "a field declares one relationship");
                    }
                    out.relation = Some(parse_relation(kind, span, &meta, errors)?);
                }
                "references" => out.references = Some(meta.value()?.parse()?),
                "allow_lint" => {
                    if let Some(allow) = parse_allow_lint(&meta, false, errors)? {
                        out.allow_lints.push(allow);
                    }
                }
                "on_delete" | "on_update" => {
                    let lit: LitStr = meta.value()?.parse()?;
                    let value = Spanned { value: lit.value(), span: lit.span() };
                    if key == "on_delete" {
                        out.on_delete = Some(value);
                    } else {
                        out.on_update = Some(value);
                    }
                }
                _ => {
                    errors.error(span, format!("unknown orm attribute `{key}`{}; valid keys: {FIELD_KEYS}", did_you_mean(&key, FIELD_KEYS)));
                    skip_value(meta.input)?;
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    out
}

/// The attributes inside `new_attr(..)`, each one an attribute's content: `new_attr(derive(A),
/// serde(rename_all = "camelCase"))`.
fn parse_new_attrs(
    meta: &syn::meta::ParseNestedMeta,
    errors: &mut Errors,
) -> syn::Result<Vec<Meta>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let attrs = content.parse_terminated(<Meta as syn::parse::Parse>::parse, Token![,])?;
    for attr in &attrs {
        check_new_derive(attr, errors)?;
    }
    Ok(attrs.into_iter().collect())
}

/// The traits `New<Model>` always has; deriving them again would be a conflicting impl.
const NEW_STRUCT_TRAITS: &[&str] = &["Debug", "Clone", "Default"];

/// Refuse deriving a trait the `New<Model>` struct already implements, at the trait's name.
fn check_new_derive(attr: &Meta, errors: &mut Errors) -> syn::Result<()> {
    for path in derived_paths(attr)? {
        let name = path.segments.last().map(|s| s.ident.to_string());
        if let Some(name) = name.filter(|n| NEW_STRUCT_TRAITS.contains(&n.as_str())) {
            errors.error(
                path.span(),
                format!(
                    "the New struct always implements Debug, Clone and Default: remove `{name}`"
                ),
            );
        }
    }
    Ok(())
}

/// The traits a `derive(..)` attribute names (nothing for other attributes).
pub fn derived_paths(attr: &Meta) -> syn::Result<Vec<Path>> {
    match attr {
        Meta::List(list) if list.path.is_ident("derive") => Ok(list
            .parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)?
            .into_iter()
            .collect()),
        _ => Ok(Vec::new()),
    }
}

/// `allow_lint(code = "L105", reason = "..")` on a field (`on_struct` false) or on the
/// struct: a known model-lint code that fits where it is written, and a reason that is not
/// empty. `None` after reporting an error.
fn parse_allow_lint(
    meta: &syn::meta::ParseNestedMeta,
    on_struct: bool,
    errors: &mut Errors,
) -> syn::Result<Option<LintAllowAttr>> {
    const FORM: &str = "allow_lint(code = \"L105\", reason = \"why the finding does not apply\")";
    let span = meta.path.span();
    let mut code: Option<LitStr> = None;
    let mut reason: Option<LitStr> = None;
    meta.parse_nested_meta(|inner| {
        match key_name(&inner.path).as_str() {
            "code" => code = Some(inner.value()?.parse()?),
            "reason" => reason = Some(inner.value()?.parse()?),
            other => {
                errors.error(
                    inner.path.span(),
                    format!("unknown allow_lint key `{other}`; the form is {FORM}"),
                );
                skip_value(inner.input)?;
            }
        }
        Ok(())
    })?;
    let Some(code) = code else {
        errors.error(
            span,
            format!("allow_lint needs the code of the finding: {FORM}"),
        );
        return Ok(None);
    };
    let known = MODEL_LINT_CODES.iter().find(|(c, _)| *c == code.value());
    let mut valid = true;
    match known {
        None => {
            let codes: Vec<&str> = MODEL_LINT_CODES.iter().map(|(c, _)| *c).collect();
            let hint = if code.value().starts_with("L2") {
                "; L2xx codes are about migrations: silence them in the revision file"
            } else {
                ""
            };
            errors.error(
                code.span(),
                format!(
                    "`{}` is not a model lint code; the codes are {}{hint}",
                    code.value(),
                    codes.join(", ")
                ),
            );
            valid = false;
        }
        Some((_, table_level)) if *table_level && !on_struct => {
            errors.error(
                code.span(),
                format!(
                    "{} is about the whole model: put this allow_lint on the struct",
                    code.value()
                ),
            );
            valid = false;
        }
        Some(_) => {}
    }
    let form = format!(
        "allow_lint(code = \"{}\", reason = \"why the finding does not apply\")",
        code.value()
    );
    let reason = match reason {
        None => {
            errors.error(
                span,
                format!("allow_lint needs a reason, for whoever reads the model next: {form}"),
            );
            return Ok(None);
        }
        Some(reason) if reason.value().trim().is_empty() => {
            errors.error(
                reason.span(),
                format!("the reason is empty: say why the finding does not apply, {form}"),
            );
            return Ok(None);
        }
        Some(reason) => reason.value(),
    };
    Ok(valid.then(|| LintAllowAttr {
        code: code.value(),
        reason,
    }))
}

fn parse_relation(
    kind: RelationKind,
    span: proc_macro2::Span,
    meta: &syn::meta::ParseNestedMeta,
    errors: &mut Errors,
) -> syn::Result<RelationAttr> {
    let mut out = RelationAttr {
        kind,
        span,
        foreign_key: None,
        through: None,
        from: None,
        to: None,
        on_delete: None,
        on_update: None,
        index: None,
    };
    let valid = kind.keys();
    meta.parse_nested_meta(|inner| {
        let key = key_name(&inner.path);
        let allowed = valid.split(", ").any(|k| k == key);
        match key.as_str() {
            "foreign_key" if allowed => out.foreign_key = Some(inner.value()?.parse()?),
            "through" if allowed => out.through = Some(inner.value()?.parse()?),
            "from" if allowed => out.from = Some(inner.value()?.parse()?),
            "to" if allowed => out.to = Some(inner.value()?.parse()?),
            "on_delete" | "on_update" if allowed => {
                let lit: LitStr = inner.value()?.parse()?;
                let value = Some(Spanned {
                    value: lit.value(),
                    span: lit.span(),
                });
                if key == "on_delete" {
                    out.on_delete = value;
                } else {
                    out.on_update = value;
                }
            }
            "index" if allowed => {
                let lit: syn::LitBool = inner.value()?.parse()?;
                out.index = Some(lit.value);
            }
            _ => {
                errors.error(
                    inner.path.span(),
                    format!("unknown {} key `{key}`; valid keys: {valid}", kind.attr()),
                );
                skip_value(inner.input)?;
            }
        }
        Ok(())
    })?;
    let example = match kind {
        RelationKind::ManyToMany => "many_to_many(through = PostTag)",
        RelationKind::BelongsTo => "belongs_to(foreign_key = \"user_id\")",
        RelationKind::HasMany => "has_many(foreign_key = \"user_id\")",
        RelationKind::HasOne => "has_one(foreign_key = \"user_id\")",
    };
    let missing = match kind {
        RelationKind::ManyToMany => out.through.is_none().then_some("through"),
        _ => out.foreign_key.is_none().then_some("foreign_key"),
    };
    if let Some(missing) = missing {
        errors.error(
            span,
            format!("{} needs `{missing}`: {example}", kind.attr()),
        );
    }
    Ok(out)
}

pub fn parse_struct_attrs(attrs: &[Attribute], errors: &mut Errors) -> StructAttrs {
    let mut out = StructAttrs::default();
    for attr in orm_attrs(attrs) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_name(&meta.path);
            let span = meta.path.span();
            match key.as_str() {
                "table" => out.table = Some(meta.value()?.parse()?),
                "inherits" => out.inherits = Some(meta.value()?.parse()?),
                "hooks" => out.hooks = Some(span),
                "allow_lint" => {
                    if let Some(allow) = parse_allow_lint(&meta, true, errors)? {
                        out.allow_lints.push(allow);
                    }
                }
                "new_attr" => out.new_attrs.extend(parse_new_attrs(&meta, errors)?),
                "new_derive" => {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let tokens: proc_macro2::TokenStream = content.parse()?;
                    let derive: Meta = syn::parse_quote_spanned!(span=> derive(#tokens));
                    check_new_derive(&derive, errors)?;
                    out.new_attrs.push(derive);
                }
                "primary_key" => {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let fields = content.parse_terminated(Ident::parse_any, Token![,])?;
                    out.primary_key = Some(fields.into_iter().collect());
                }
                "index" => {
                    let mut index = IndexAttr {
                        columns: Vec::new(),
                        unique: false,
                        name: None,
                        predicate: None,
                        method: None,
                        include: Vec::new(),
                        ignore_deleted: None,
                    };
                    meta.parse_nested_meta(|inner| {
                        match key_name(&inner.path).as_str() {
                            "columns" => {
                                let list: syn::ExprArray = inner.value()?.parse()?;
                                for element in list.elems {
                                    match element {
                                        Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => index.columns.push(s),
                                        other => errors.error(other.span(), "index columns are strings: columns = [\"a\", \"b\"]"),
                                    }
                                }
                            }
                            "include" => {
                                let list: syn::ExprArray = inner.value()?.parse()?;
                                for element in list.elems {
                                    match element {
                                        Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => index.include.push(s),
                                        other => errors.error(other.span(), "include columns are strings: include = [\"a\", \"b\"]"),
                                    }
                                }
                            }
                            "unique" => index.unique = true,
                            "name" => index.name = Some(inner.value()?.parse()?),
                            "where" => index.predicate = Some(inner.value()?.parse()?),
                            "method" => {
                                let method: LitStr = inner.value()?.parse()?;
                                if !["btree", "hash", "gin", "gist", "brin", "spgist"].contains(&method.value().as_str()) {
                                    errors.error(method.span(), "unknown index method; PostgreSQL's are btree, hash, gin, gist, brin, spgist");
                                }
                                index.method = Some(method);
                            }
                            "ignore_deleted" => index.ignore_deleted = Some(inner.path.span()),
                            other => {
                                errors.error(inner.path.span(), format!("unknown index key `{other}`; valid keys: columns, unique, name, where, method, include, ignore_deleted"));
                                skip_value(inner.input)?;
                            }
                        }
                        Ok(())
                    })?;
                    if index.columns.is_empty() {
                        errors.error(span, "index needs columns, e.g. index(columns = [\"user_id\", \"created_at\"])");
                    }
                    out.indexes.push(index);
                }
                "foreign_key" => {
                    let mut fk = ForeignKeyAttr {
                        span,
                        columns: Vec::new(),
                        references: None,
                        referenced_columns: Vec::new(),
                        on_delete: None,
                        on_update: None,
                    };
                    let strings = |inner: &syn::meta::ParseNestedMeta, errors: &mut Errors| -> syn::Result<Vec<LitStr>> {
                        let list: syn::ExprArray = inner.value()?.parse()?;
                        let mut out = Vec::new();
                        for element in list.elems {
                            match element {
                                Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => out.push(s),
                                other => errors.error(other.span(), "columns are strings: [\"a\", \"b\"]"),
                            }
                        }
                        Ok(out)
                    };
                    meta.parse_nested_meta(|inner| {
                        match key_name(&inner.path).as_str() {
                            "columns" => fk.columns = strings(&inner, errors)?,
                            "referenced_columns" => fk.referenced_columns = strings(&inner, errors)?,
                            "references" => fk.references = Some(inner.value()?.parse()?),
                            "on_delete" => {
                                let lit: LitStr = inner.value()?.parse()?;
                                fk.on_delete = Some(Spanned { value: lit.value(), span: lit.span() });
                            }
                            "on_update" => {
                                let lit: LitStr = inner.value()?.parse()?;
                                fk.on_update = Some(Spanned { value: lit.value(), span: lit.span() });
                            }
                            other => {
                                errors.error(inner.path.span(), format!("unknown foreign_key key `{other}`; valid keys: columns, references, referenced_columns, on_delete, on_update"));
                                skip_value(inner.input)?;
                            }
                        }
                        Ok(())
                    })?;
                    if fk.columns.is_empty() || fk.references.is_none() {
                        errors.error(span, "foreign_key needs columns and references: foreign_key(columns = [\"order_id\", \"line_no\"], references = OrderLine)");
                    }
                    out.foreign_keys.push(fk);
                }
                "check" => {
                    let mut name = None;
                    let mut body = None;
                    meta.parse_nested_meta(|inner| {
                        match key_name(&inner.path).as_str() {
                            "name" => name = Some(inner.value()?.parse()?),
                            "expr" => body = Some(CheckBody::Sql(inner.value()?.parse()?)),
                            "condition" => {
                                body = Some(CheckBody::Condition(Box::new(inner.value()?.parse()?)))
                            }
                            other => {
                                errors.error(inner.path.span(), format!("unknown check key `{other}`; valid keys: name, condition, expr"));
                                skip_value(inner.input)?;
                            }
                        }
                        Ok(())
                    })?;
                    match (name, body) {
                        (Some(name), Some(body)) => out.checks.push(CheckAttr { name, body }),
                        _ => errors.error(span, "check needs a name and a condition: check(name = \"price_positive\", condition = Product::price.gt(0)), or raw SQL: check(name = \"..\", expr = \"price > 0\")"),
                    }
                }
                _ => {
                    errors.error(span, format!("unknown orm attribute `{key}` on a struct{}; valid keys: {STRUCT_KEYS}", did_you_mean(&key, STRUCT_KEYS)));
                    skip_value(meta.input)?;
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Errors, parse_field_attrs, parse_struct_attrs};
    use syn::{Attribute, parse_quote};

    /// The errors `allow_lint(..)` on a field (or the struct) gives, joined.
    fn errors(attr: Attribute, on_struct: bool) -> String {
        let mut errors = Errors::default();
        let allows = if on_struct {
            parse_struct_attrs(&[attr], &mut errors).allow_lints.len()
        } else {
            parse_field_attrs(&[attr], &mut errors).allow_lints.len()
        };
        match errors.finish() {
            Ok(()) => format!("ok: {allows}"),
            Err(error) => error
                .into_iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    #[test]
    fn allow_lint_needs_a_known_code_and_a_reason() {
        let ok = parse_quote!(#[orm(allow_lint(code = "L103", reason = "an estimate"))]);
        assert_eq!(errors(ok, false), "ok: 1");
        let table = parse_quote!(#[orm(allow_lint(code = "L107", reason = "a log"))]);
        assert_eq!(errors(table, true), "ok: 1");

        let missing = parse_quote!(#[orm(allow_lint(code = "L103"))]);
        assert!(errors(missing, false).starts_with("allow_lint needs a reason"));
        let empty = parse_quote!(#[orm(allow_lint(code = "L103", reason = " "))]);
        assert!(errors(empty, false).starts_with("the reason is empty"));
        let no_code = parse_quote!(#[orm(allow_lint(reason = "because"))]);
        assert!(errors(no_code, false).starts_with("allow_lint needs the code"));
        let unknown = parse_quote!(#[orm(allow_lint(code = "L199", reason = "because"))]);
        assert!(errors(unknown, false).contains("`L199` is not a model lint code"));
        let migration = parse_quote!(#[orm(allow_lint(code = "L202", reason = "because"))]);
        assert!(errors(migration, false).contains("silence them in the revision file"));
        let misplaced = parse_quote!(#[orm(allow_lint(code = "L107", reason = "a log"))]);
        assert!(errors(misplaced, false).contains("put this allow_lint on the struct"));
    }
}
