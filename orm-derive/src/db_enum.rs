//! `#[derive(DbEnum)]`: a unit-only enum stored as text, one value per variant, with the
//! trait impls that make it a column type (filters, `in_list`, a CHECK listing the values);
//! with `#[orm(native)]`, stored as a PostgreSQL `ENUM` type.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

/// Expand the derive; errors become `compile_error!` at their spans.
pub fn db_enum(input: TokenStream) -> TokenStream {
    match expand(input) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

/// The bytes of a PostgreSQL name (`NAMEDATALEN - 1`): enum labels and type names.
const PG_NAME_BYTES: usize = 63;

/// How variant names become stored values.
#[derive(Clone, Copy)]
enum Case {
    Snake,
    ScreamingSnake,
    Kebab,
    Lower,
    Upper,
    Camel,
    Pascal,
}

const CASES: &str = "\"snake_case\", \"SCREAMING_SNAKE_CASE\", \"kebab-case\", \"lowercase\", \
                     \"UPPERCASE\", \"camelCase\" or \"PascalCase\"";

impl Case {
    fn parse(text: &LitStr) -> syn::Result<Case> {
        Ok(match text.value().as_str() {
            "snake_case" => Case::Snake,
            "SCREAMING_SNAKE_CASE" => Case::ScreamingSnake,
            "kebab-case" => Case::Kebab,
            "lowercase" => Case::Lower,
            "UPPERCASE" => Case::Upper,
            "camelCase" => Case::Camel,
            "PascalCase" => Case::Pascal,
            _ => {
                return Err(syn::Error::new(
                    text.span(),
                    format!("unknown rename_all; use {CASES}"),
                ));
            }
        })
    }

    /// `InProgress` in this case.
    fn apply(self, variant: &str) -> String {
        let mut words: Vec<String> = Vec::new();
        for ch in variant.chars() {
            if ch.is_uppercase() || words.is_empty() {
                words.push(String::new());
            }
            if let Some(word) = words.last_mut() {
                word.push(ch);
            }
        }
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let capitalized = |w: &String| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        };
        match self {
            Case::Snake => lower.join("_"),
            Case::ScreamingSnake => lower.join("_").to_uppercase(),
            Case::Kebab => lower.join("-"),
            Case::Lower => lower.concat(),
            Case::Upper => lower.concat().to_uppercase(),
            Case::Camel => lower
                .iter()
                .enumerate()
                .map(|(i, w)| if i == 0 { w.clone() } else { capitalized(w) })
                .collect(),
            Case::Pascal => lower.iter().map(capitalized).collect(),
        }
    }
}

/// `InProgress` as `in_progress`.
pub fn snake_case(name: &str) -> String {
    Case::Snake.apply(name)
}

fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let ident = &input.ident;
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            ident.span(),
            "DbEnum is for enums whose variants carry no data, e.g. `enum Status { Todo, Done }`",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.generics.span(),
            "DbEnum does not take generic parameters",
        ));
    }
    let mut case = Case::Snake;
    // `Some(name)` for a native PostgreSQL enum type.
    let mut native: Option<String> = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("orm")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                case = Case::parse(&meta.value()?.parse()?)?;
                Ok(())
            } else if meta.path.is_ident("native") {
                native = Some(if meta.input.peek(syn::Token![=]) {
                    let name: LitStr = meta.value()?.parse()?;
                    if name.value().is_empty() {
                        return Err(syn::Error::new(
                            name.span(),
                            "the native enum type needs a name: `native = \"status\"`, or \
                             `native` alone for the enum's name in snake_case",
                        ));
                    }
                    if name.value().contains('\0') || name.value().len() > PG_NAME_BYTES {
                        return Err(syn::Error::new(
                            name.span(),
                            format!(
                                "a type name has at most {PG_NAME_BYTES} bytes and no NUL \
                                 character (PostgreSQL's limit)"
                            ),
                        ));
                    }
                    name.value()
                } else {
                    Case::Snake.apply(&ident.to_string())
                });
                Ok(())
            } else {
                Err(meta.error(format!(
                    "unknown DbEnum attribute; expected `native`, `native = \"type_name\"` \
                     or `rename_all = ..` with {CASES}"
                )))
            }
        })?;
    }
    if data.variants.is_empty() {
        return Err(syn::Error::new(
            ident.span(),
            "DbEnum needs at least one variant",
        ));
    }
    let mut variants: Vec<syn::Ident> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    let mut default = None;
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            return Err(syn::Error::new(
                variant.fields.span(),
                "a DbEnum variant carries no data: store the data in columns of its own, or \
                 the whole enum as JSON with orm::Json<T>",
            ));
        }
        let mut value = case.apply(&variant.ident.to_string());
        for attr in variant.attrs.iter().filter(|a| a.path().is_ident("orm")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    value = meta.value()?.parse::<LitStr>()?.value();
                    Ok(())
                } else if meta.path.is_ident("default") {
                    if default.is_some() {
                        return Err(meta.error("only one variant can be the default"));
                    }
                    default = Some(variant.ident.clone());
                    Ok(())
                } else {
                    Err(meta.error(
                        "unknown variant attribute; expected `rename = \"..\"` or `default`",
                    ))
                }
            })?;
        }
        if value.contains('\0') {
            return Err(syn::Error::new(
                variant.ident.span(),
                "a stored value cannot hold a NUL character (PostgreSQL text refuses it)",
            ));
        }
        if native.is_some() && value.len() > PG_NAME_BYTES {
            return Err(syn::Error::new(
                variant.ident.span(),
                format!(
                    "`{value}` is longer than the {PG_NAME_BYTES} bytes a PostgreSQL enum label \
                     holds: give the variant a shorter `#[orm(rename = \"..\")]`"
                ),
            ));
        }
        if values.contains(&value) {
            return Err(syn::Error::new(
                variant.ident.span(),
                format!("two variants are stored as `{value}`: give one `#[orm(rename = \"..\")]`"),
            ));
        }
        variants.push(variant.ident.clone());
        values.push(value);
    }
    let name = ident.to_string();
    let default = default.unwrap_or_else(|| variants[0].clone());
    // A native enum has its own column type and binds its labels untyped (the statement
    // types them); a text one is text with a CHECK listing the values.
    let (native_type, sql_type, checked_values, value, null) = match &native {
        Some(type_name) => (
            quote! {
                const __ORM_NATIVE: &__orm::NativeEnum = &__orm::NativeEnum {
                    name: #type_name,
                    values: <#ident as __orm::DbEnum>::VALUES,
                };
            },
            quote! { __orm::SqlType::Enum(__ORM_NATIVE) },
            quote! { &[] },
            quote! {
                __orm::Value::Enum(
                    ::core::option::Option::Some(__orm::DbEnum::as_str(self)),
                    __ORM_NATIVE,
                )
            },
            quote! { __orm::Value::Enum(::core::option::Option::None, __ORM_NATIVE) },
        ),
        None => (
            quote! {},
            quote! { __orm::SqlType::Text },
            quote! { <Self as __orm::DbEnum>::VALUES },
            quote! {
                __orm::Value::String(::core::option::Option::Some(
                    ::std::string::ToString::to_string(__orm::DbEnum::as_str(self)),
                ))
            },
            quote! { __orm::Value::String(::core::option::Option::None) },
        ),
    };
    Ok(quote! {
        const _: () = {
            use ::orm::__private as __orm;

            #native_type

            impl __orm::DbEnum for #ident {
                const VALUES: &'static [&'static str] = &[#(#values),*];
                fn as_str(&self) -> &'static str {
                    match self {
                        #(#ident::#variants => #values,)*
                    }
                }
                fn from_str(text: &str) -> ::core::option::Option<Self> {
                    match text {
                        #(#values => ::core::option::Option::Some(#ident::#variants),)*
                        _ => ::core::option::Option::None,
                    }
                }
            }

            impl __orm::SqlField for #ident {
                const SQL_TYPE: __orm::SqlType = #sql_type;
                const NULLABLE: bool = false;
                const VALUES: &'static [&'static str] = #checked_values;
                fn to_value(&self) -> __orm::Value {
                    #value
                }
                fn decode<R: __orm::RowReader + ?Sized>(
                    row: &R,
                    index: usize,
                    _ty: __orm::SqlType,
                ) -> __orm::Result<Self> {
                    __orm::decode_enum::<Self, R>(row, index, #name)?
                        .ok_or_else(|| __orm::unexpected_null(row, index))
                }
            }

            /// The first variant, or the one marked `#[orm(default)]` (what `New<Model>`'s
            /// `Default` fills in).
            impl ::core::default::Default for #ident {
                fn default() -> Self {
                    #ident::#default
                }
            }

            impl __orm::FromValue for #ident {
                fn from_value(value: &__orm::Value) -> ::core::option::Option<Self> {
                    match value {
                        __orm::Value::String(::core::option::Option::Some(text)) => {
                            <Self as __orm::DbEnum>::from_str(text)
                        }
                        __orm::Value::Enum(::core::option::Option::Some(text), _) => {
                            <Self as __orm::DbEnum>::from_str(text)
                        }
                        _ => ::core::option::Option::None,
                    }
                }
            }

            impl __orm::FromRow for #ident {
                fn decode_at<R: __orm::RowReader + ?Sized>(
                    row: &R,
                    index: &mut usize,
                ) -> __orm::Result<Self> {
                    __orm::decode_one(row, index, <Self as __orm::SqlField>::SQL_TYPE)
                }
            }

            impl __orm::NonNullField for #ident {
                fn decode_nullable<R: __orm::RowReader + ?Sized>(
                    row: &R,
                    index: usize,
                    _ty: __orm::SqlType,
                ) -> __orm::Result<::core::option::Option<Self>> {
                    __orm::decode_enum::<Self, R>(row, index, #name)
                }
                fn null_value() -> __orm::Value {
                    #null
                }
            }
        };
    })
}

#[cfg(test)]
mod tests {
    use super::Case;

    #[test]
    fn cases() {
        assert_eq!(Case::Snake.apply("InProgress"), "in_progress");
        assert_eq!(Case::ScreamingSnake.apply("InProgress"), "IN_PROGRESS");
        assert_eq!(Case::Kebab.apply("InProgress"), "in-progress");
        assert_eq!(Case::Lower.apply("InProgress"), "inprogress");
        assert_eq!(Case::Upper.apply("InProgress"), "INPROGRESS");
        assert_eq!(Case::Camel.apply("InProgress"), "inProgress");
        assert_eq!(Case::Pascal.apply("InProgress"), "InProgress");
        assert_eq!(Case::Snake.apply("Done"), "done");
    }
}
