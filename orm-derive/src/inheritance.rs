//! `#[derive(Model)]` on an enum: the base of a single-table inheritance. Each variant holds
//! a model (`Engineer(Engineer)`) stored in the base's table (`#[orm(table = "staff",
//! inherits = Staff)]`). The derive cannot see the variants' fields, so the shared table's
//! metadata is computed when the crate compiles, by `const fn`s over the variants' own
//! tables (`orm_core::inheritance`); rows decode by their discriminator value into the
//! variant it names.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DataEnum, DeriveInput, Fields, LitStr, Type};

use crate::attr::Errors;

/// One variant: its name, its model type and its discriminator value.
struct Variant {
    ident: syn::Ident,
    model: Type,
    value: String,
}

/// The enum's attributes and variants.
struct Base {
    table: String,
    discriminator: String,
    variants: Vec<Variant>,
}

/// Expand the derive on an enum.
pub fn expand(input: &DeriveInput, data: &DataEnum) -> TokenStream {
    let mut errors = Errors::default();
    let base = parse(input, data, &mut errors);
    // The variants that are well formed are expanded despite errors in others, so that each
    // mistake is one error, not one more at every use of the enum.
    let (mut out, rest) = match errors.finish() {
        Ok(()) => (TokenStream::new(), TokenStream::new()),
        Err(error) => (
            error.to_compile_error(),
            quote!(_ => ::core::unreachable!(),),
        ),
    };
    if let Some(base) = base.filter(|base| !base.variants.is_empty()) {
        out.extend(tokens(input, &base, &rest));
    }
    out
}

fn parse(input: &DeriveInput, data: &DataEnum, errors: &mut Errors) -> Option<Base> {
    if !input.generics.params.is_empty() {
        errors.error(
            input.generics.span(),
            "#[derive(Model)] does not support generic enums",
        );
    }
    let mut table: Option<LitStr> = None;
    let mut discriminator: Option<LitStr> = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("orm")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("table") {
                table = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("discriminator") {
                discriminator = Some(meta.value()?.parse()?);
            } else {
                errors.error(
                    meta.path.span(),
                    "unknown orm attribute on an inheritance enum; valid keys: table, discriminator",
                );
                if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    let Some(table) = table else {
        errors.error(
            input.ident.span(),
            "an inheritance enum names its table: #[orm(table = \"staff\", discriminator = \"kind\")]",
        );
        return None;
    };
    let discriminator_span = discriminator
        .as_ref()
        .map_or(input.ident.span(), LitStr::span);
    let discriminator = discriminator.map_or_else(|| "kind".to_owned(), |d| d.value());
    for (what, name, span) in [
        ("table", table.value(), table.span()),
        ("discriminator", discriminator.clone(), discriminator_span),
    ] {
        if name.is_empty() || name.len() > 63 || name.contains('\0') {
            errors.error(
                span,
                format!("the {what} name must be 1 to 63 bytes without NUL"),
            );
        }
    }
    if data.variants.is_empty() {
        errors.error(
            input.ident.span(),
            "an inheritance enum needs variants, each holding a model: `Engineer(Engineer)`",
        );
    }
    let mut variants: Vec<Variant> = Vec::new();
    for variant in &data.variants {
        let model = match &variant.fields {
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => fields.unnamed[0].ty.clone(),
            _ => {
                errors.error(
                    variant.span(),
                    format!(
                        "each variant of an inheritance enum holds its model: `{0}({0})`, where \
                         `{0}` derives Model with #[orm(inherits = {1})]",
                        variant.ident, input.ident
                    ),
                );
                continue;
            }
        };
        let mut value: Option<LitStr> = None;
        for attr in variant.attrs.iter().filter(|a| a.path().is_ident("orm")) {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("value") {
                    value = Some(meta.value()?.parse()?);
                } else {
                    errors.error(
                        meta.path.span(),
                        "unknown orm attribute on a variant; the valid key is value = \"..\"",
                    );
                }
                Ok(())
            });
            if let Err(error) = result {
                errors.push(error);
            }
        }
        let span = value.as_ref().map_or(variant.ident.span(), LitStr::span);
        let value = value.map_or_else(
            || crate::db_enum::snake_case(&variant.ident.to_string()),
            |v| v.value(),
        );
        if value.is_empty() {
            errors.error(
                span,
                "a discriminator value cannot be empty: give the variant #[orm(value = \"..\")]",
            );
        }
        if variants.iter().any(|v| v.value == value) {
            errors.error(
                span,
                format!("two variants have the discriminator value `{value}`: give one #[orm(value = \"..\")]"),
            );
        } else if variants
            .iter()
            .any(|v| readable(&v.value) == readable(&value))
        {
            errors.error(
                span,
                format!(
                    "the discriminator value `{value}` names its variant's CHECK as another \
                     value does (letters and digits kept, the rest `_`): give one another value"
                ),
            );
        }
        variants.push(Variant {
            ident: variant.ident.clone(),
            model,
            value,
        });
    }
    Some(Base {
        table: table.value(),
        discriminator,
        variants,
    })
}

/// A discriminator value as it reads in its variant's CHECK name.
fn readable(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The derive's code; `rest`: a match arm for the variants left out (those in error).
fn tokens(input: &DeriveInput, base: &Base, rest: &TokenStream) -> TokenStream {
    let ident = &input.ident;
    let model_name = ident.to_string();
    let (table, discriminator) = (&base.table, &base.discriminator);
    let models: Vec<&Type> = base.variants.iter().map(|v| &v.model).collect();
    let names: Vec<&syn::Ident> = base.variants.iter().map(|v| &v.ident).collect();
    let values: Vec<&String> = base.variants.iter().map(|v| &v.value).collect();
    let maps: Vec<syn::Ident> = (0..models.len())
        .map(|i| format_ident!("__ORM_MAP_{}", i))
        .collect();
    let first = models[0];
    let same_keys = models[1..].iter().map(|model| {
        quote_spanned!(model.span()=>
            const _: () = __orm::inheritance::assert_same_key::<#first, #model>();)
    });
    let union = |len: &str, union: &str, ty: &str| {
        let (len, union, ty) = (
            format_ident!("{}", len),
            format_ident!("{}", union),
            format_ident!("{}", ty),
        );
        quote!([__orm::#ty; __orm::inheritance::#len(__ORM_VARIANTS)] =
            __orm::inheritance::#union(__ORM_VARIANTS))
    };
    let indexes = union("indexes_len", "union_indexes", "IndexMeta");
    let foreign_keys = union("foreign_keys_len", "union_foreign_keys", "ForeignKeyMeta");
    let variant_checks = union("checks_len", "union_checks", "CheckMeta");
    // Per variant, a check that the columns it requires hold values in its rows (where the
    // table lets them be NULL for the other variants), when there are such columns.
    let required = base.variants.iter().enumerate().map(|(i, variant)| {
        let model = &variant.model;
        let name = crate::names::generated(&base.table, &[readable(&variant.value)], "variant");
        let condition = format_ident!("__orm_required_{}", i);
        quote!((
            __orm::inheritance::required_len(<#model as __orm::Model>::TABLE, &__ORM_COLUMNS) > 0,
            __orm::CheckMeta {
                name: #name,
                expr: "",
                condition: ::core::option::Option::Some({
                    fn #condition() -> __orm::Condition {
                        __orm::inheritance::required_condition(
                            <#ident as __orm::Model>::TABLE,
                            <#model as __orm::Model>::TABLE,
                        )
                    }
                    #condition
                }),
            },
        ))
    });
    let variant_count = base.variants.len();
    let relations = union("relations_len", "union_relations", "RelationMeta");
    let lint_allows = union("lint_allows_len", "union_lint_allows", "LintAllow");
    let doc_query = format!(
        "A query over every row of `{table}`, each read as the variant its `{discriminator}` names."
    );
    quote! {
        const _: () = {
            use ::orm::__private as __orm;

            #[allow(non_upper_case_globals)]
            const __ORM_VARIANTS: &[&'static __orm::TableMeta] =
                &[#(<#models as __orm::Model>::TABLE),*];
            const __ORM_DISCRIMINATOR: __orm::ColumnMeta = __orm::ColumnMeta {
                name: #discriminator,
                field: #discriminator,
                ty: __orm::SqlType::Text,
                nullable: false,
                primary_key: false,
                unique: ::core::option::Option::None,
                generated: __orm::Generated::No,
                default: ::core::option::Option::None,
                auto_timestamp: __orm::AutoTimestamp::No,
                values: &[#(#values),*],
                rules: &[],
            };
            const __ORM_COLUMNS: [__orm::ColumnMeta; __orm::inheritance::union_len(__ORM_VARIANTS)] =
                __orm::inheritance::union_columns(#table, __ORM_VARIANTS, __ORM_DISCRIMINATOR);
            const __ORM_DISCRIMINATOR_INDEX: usize =
                match __orm::inheritance::position(&__ORM_COLUMNS, #discriminator) {
                    ::core::option::Option::Some(index) => index,
                    ::core::option::Option::None => 0,
                };
            #(
                const #maps: [usize; <#models as __orm::Model>::TABLE.columns.len()] =
                    __orm::inheritance::index_map(<#models as __orm::Model>::TABLE.columns, &__ORM_COLUMNS);
            )*
            const __ORM_INDEXES: #indexes;
            const __ORM_FOREIGN_KEYS: #foreign_keys;
            const __ORM_VARIANT_CHECKS: #variant_checks;
            const __ORM_REQUIRED: [(bool, __orm::CheckMeta); #variant_count] = [#(#required),*];
            const __ORM_CHECKS: [
                __orm::CheckMeta;
                __ORM_VARIANT_CHECKS.len() + __orm::inheritance::count_required(&__ORM_REQUIRED)
            ] = __orm::inheritance::with_required(&__ORM_VARIANT_CHECKS, &__ORM_REQUIRED);
            const __ORM_RELATIONS: #relations;
            const __ORM_LINT_ALLOWS: #lint_allows;
            #(#same_keys)*

            // The enum soft-deletes when its variants do (they all share the column).
            impl __orm::SoftDelete for #ident where for<'__orm> #first: __orm::SoftDelete {}

            impl __orm::inheritance::Inheritance for #ident {
                const TABLE_NAME: &'static str = #table;
                const DISCRIMINATOR: &'static str = #discriminator;
            }

            #(
                impl __orm::inheritance::Variant for #models {
                    type Base = #ident;
                    const VALUE: &'static str = #values;
                    fn of_base_mut(base: &mut #ident) -> ::core::option::Option<&mut Self> {
                        match base {
                            #ident::#names(row) => ::core::option::Option::Some(row),
                            #[allow(unreachable_patterns)]
                            _ => ::core::option::Option::None,
                        }
                    }
                }

                impl ::core::convert::From<#models> for #ident {
                    fn from(row: #models) -> Self {
                        #ident::#names(row)
                    }
                }

                impl ::core::convert::TryFrom<#ident> for #models {
                    type Error = #ident;
                    fn try_from(row: #ident) -> ::core::result::Result<Self, #ident> {
                        match row {
                            #ident::#names(row) => ::core::result::Result::Ok(row),
                            #[allow(unreachable_patterns)]
                            other => ::core::result::Result::Err(other),
                        }
                    }
                }
            )*

            impl __orm::Model for #ident {
                const TABLE: &'static __orm::TableMeta = &__orm::TableMeta {
                    model: #model_name,
                    name: #table,
                    columns: &__ORM_COLUMNS,
                    primary_key: <#first as __orm::Model>::TABLE.primary_key,
                    primary_key_name: <#first as __orm::Model>::TABLE.primary_key_name,
                    indexes: &__ORM_INDEXES,
                    foreign_keys: &__ORM_FOREIGN_KEYS,
                    checks: &__ORM_CHECKS,
                    relations: &__ORM_RELATIONS,
                    version: <#first as __orm::Model>::TABLE.version,
                    soft_delete: <#first as __orm::Model>::TABLE.soft_delete,
                    lint_allows: &__ORM_LINT_ALLOWS,
                    discriminator: ::core::option::Option::None,
                };
                type Key = <#first as __orm::Model>::Key;
                /// Rows are inserted as a variant (`NewEngineer`), never as the enum.
                type New = ::core::convert::Infallible;
                fn decode_row<R: __orm::RowReader + ?Sized>(row: &R) -> __orm::Result<Self> {
                    let value = __orm::inheritance::discriminator_of(row, __ORM_DISCRIMINATOR_INDEX)?;
                    match value.as_str() {
                        #(
                            #values => ::core::result::Result::Ok(#ident::#names(
                                <#models as __orm::Model>::decode_row(
                                    &__orm::VariantRow::new(row.as_dyn(), &#maps),
                                )?,
                            )),
                        )*
                        other => ::core::result::Result::Err(__orm::inheritance::unknown_variant(
                            row,
                            __ORM_DISCRIMINATOR_INDEX,
                            #model_name,
                            other,
                            &[#(#values),*],
                        )),
                    }
                }
                fn key_values(key: &Self::Key) -> __orm::Vec<__orm::Value> {
                    <#first as __orm::Model>::key_values(key)
                }
                fn key(&self) -> Self::Key {
                    match self {
                        #(#ident::#names(row) => __orm::Model::key(row),)*
                        #rest
                    }
                }
                fn column_values(&self) -> __orm::Vec<__orm::Value> {
                    match self {
                        #(
                            #ident::#names(row) => __orm::inheritance::union_values(
                                Self::TABLE,
                                &#maps,
                                __orm::Model::column_values(row),
                                __ORM_DISCRIMINATOR_INDEX,
                                #values,
                            ),
                        )*
                        #rest
                    }
                }
                fn statement_cache() -> &'static __orm::StatementCache {
                    static CACHE: __orm::StatementCache = __orm::StatementCache::new();
                    &CACHE
                }
                fn hook_before_update(&mut self) -> __orm::Result<()> {
                    match self {
                        #(#ident::#names(row) => __orm::Model::hook_before_update(row),)*
                        #rest
                    }
                }
                fn hook_updated_copy(&self) -> __orm::Result<::core::option::Option<Self>> {
                    ::core::result::Result::Ok(match self {
                        #(#ident::#names(row) => __orm::Model::hook_updated_copy(row)?.map(#ident::#names),)*
                        #rest
                    })
                }
                fn hook_before_delete(&self) -> __orm::Result<()> {
                    match self {
                        #(#ident::#names(row) => __orm::Model::hook_before_delete(row),)*
                        #rest
                    }
                }
            }

            impl #ident {
                #[doc = #doc_query]
                pub fn query() -> __orm::Select<#ident> {
                    __orm::Select::new()
                }

                /// A `DELETE` of rows of any variant; add `.filter(..)`.
                pub fn delete() -> __orm::Delete<#ident> {
                    __orm::Delete::new()
                }

                /// A query for the row with this primary key, of any variant.
                pub fn find(key: <#first as __orm::Model>::Key) -> __orm::Select<#ident> {
                    __orm::crud::find::<#ident>(&key)
                }

                /// The row with this primary key, of any variant; `Error::NotFound` when there
                /// is none.
                pub fn get<E: __orm::Executor>(
                    db: E,
                    key: <#first as __orm::Model>::Key,
                ) -> impl __orm::Future<Output = __orm::Result<#ident>> + ::core::marker::Send {
                    __orm::crud::get::<#ident, E>(db, key)
                }

                /// This row's discriminator value (which variant it is, as stored).
                pub fn discriminator(&self) -> &'static str {
                    match self {
                        #(#ident::#names(_) => #values,)*
                        #rest
                    }
                }
            }
        };
    }
}
