//! `#[derive(DbType)]`: a one-field struct (`struct UserId(i64);`) stored as its field, with
//! the trait impls that make it a column type of its own.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Member};

/// Expand the derive; errors become `compile_error!` at their spans.
pub fn db_type(input: TokenStream) -> TokenStream {
    match expand(input) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

const SHAPE: &str = "DbType is for a struct of one field, e.g. `struct UserId(i64);`";

fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let ident = &input.ident;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new(ident.span(), SHAPE));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.generics.span(),
            "DbType does not take generic parameters: derive it on a struct per inner type",
        ));
    }
    if let Some(attr) = input.attrs.iter().find(|a| a.path().is_ident("orm")) {
        return Err(syn::Error::new(
            attr.span(),
            "DbType takes no attributes: the column's attributes go on the model's field",
        ));
    }
    let field = match &data.fields {
        Fields::Named(fields) if fields.named.len() == 1 => &fields.named[0],
        Fields::Unnamed(fields) if fields.unnamed.len() == 1 => &fields.unnamed[0],
        Fields::Unit => return Err(syn::Error::new(ident.span(), SHAPE)),
        fields => {
            return Err(syn::Error::new(
                fields.span(),
                format!("{SHAPE}; store several values as several columns"),
            ));
        }
    };
    let inner = &field.ty;
    if crate::ast::option_inner(inner).is_some() {
        return Err(syn::Error::new(
            inner.span(),
            "a DbType wraps a non-NULL type: wrap the inner type here and declare the model's \
             field `Option<ThisType>` for a NULL-able column",
        ));
    }
    let member = match &field.ident {
        Some(name) => Member::Named(name.clone()),
        None => Member::Unnamed(0.into()),
    };
    let construct = quote!(#ident { #member: inner });
    let markers = markers(ident, inner);
    Ok(quote! {
        const _: () = {
            use ::orm::__private as __orm;

            impl __orm::DbType for #ident {
                type Inner = #inner;
                #[inline]
                fn from_inner(inner: #inner) -> Self {
                    #construct
                }
                #[inline]
                fn inner(&self) -> &#inner {
                    &self.#member
                }
            }

            impl __orm::SqlField for #ident {
                const SQL_TYPE: __orm::SqlType = <#inner as __orm::SqlField>::SQL_TYPE;
                const NULLABLE: bool = false;
                const VALUES: &'static [&'static str] = <#inner as __orm::SqlField>::VALUES;
                #[inline]
                fn to_value(&self) -> __orm::Value {
                    <#inner as __orm::SqlField>::to_value(&self.#member)
                }
                #[inline]
                fn decode<R: __orm::RowReader + ?Sized>(
                    row: &R,
                    index: usize,
                    ty: __orm::SqlType,
                ) -> __orm::Result<Self> {
                    <#inner as __orm::SqlField>::decode(row, index, ty)
                        .map(<Self as __orm::DbType>::from_inner)
                }
            }

            impl __orm::NonNullField for #ident {
                #[inline]
                fn decode_nullable<R: __orm::RowReader + ?Sized>(
                    row: &R,
                    index: usize,
                    ty: __orm::SqlType,
                ) -> __orm::Result<::core::option::Option<Self>> {
                    ::core::result::Result::Ok(
                        <#inner as __orm::NonNullField>::decode_nullable(row, index, ty)?
                            .map(<Self as __orm::DbType>::from_inner),
                    )
                }
                #[inline]
                fn null_value() -> __orm::Value {
                    <#inner as __orm::NonNullField>::null_value()
                }
            }

            #markers

            /// The inner type's default (what `New<Model>`'s `Default` fills in).
            impl ::core::default::Default for #ident {
                fn default() -> Self {
                    <Self as __orm::DbType>::from_inner(::core::default::Default::default())
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
        };
    })
}

/// The query language's marker traits, each implemented when the inner type has it. The
/// `for<'a>` makes the bound one the compiler checks where the trait is needed rather than
/// here, so a newtype of `i64` simply lacks `TextType`.
fn markers(ident: &syn::Ident, inner: &syn::Type) -> TokenStream {
    let plain = [
        "TextField",
        "DecimalField",
        "RangeField",
        "TextType",
        "Textual",
        "NumericType",
        "Roundable",
        "Timestamp",
        "AutoKey",
    ]
    .map(|name| syn::Ident::new(name, proc_macro2::Span::call_site()));
    quote! {
        #(
            #[diagnostic::do_not_recommend]
            impl __orm::newtype::#plain for #ident
            where for<'a> #inner: __orm::newtype::#plain {}
        )*

        #[diagnostic::do_not_recommend]
        impl __orm::newtype::RelationKey for #ident
        where for<'a> #inner: __orm::newtype::RelationKey
        {
            #[inline]
            fn relation_key(&self) -> ::core::option::Option<__orm::newtype::KeyValue> {
                __orm::newtype::RelationKey::relation_key(__orm::DbType::inner(self))
            }
        }

        impl __orm::newtype::FromValue for #ident
        where for<'a> #inner: __orm::newtype::FromValue
        {
            fn from_value(value: &__orm::Value) -> ::core::option::Option<Self> {
                <#inner as __orm::newtype::FromValue>::from_value(value)
                    .map(<Self as __orm::DbType>::from_inner)
            }
        }

        #[diagnostic::do_not_recommend]
        impl __orm::newtype::Summable for #ident
        where for<'a> #inner: __orm::newtype::Summable
        {
            type Sum = <#inner as __orm::newtype::Summable>::Sum;
            fn sum_type(arg: __orm::SqlType) -> __orm::SqlType {
                <#inner as __orm::newtype::Summable>::sum_type(arg)
            }
        }

        #[diagnostic::do_not_recommend]
        impl __orm::newtype::Averageable for #ident
        where for<'a> #inner: __orm::newtype::Averageable
        {
            type Avg = <#inner as __orm::newtype::Averageable>::Avg;
            fn avg_type(arg: __orm::SqlType) -> __orm::SqlType {
                <#inner as __orm::newtype::Averageable>::avg_type(arg)
            }
        }

        #[diagnostic::do_not_recommend]
        impl __orm::newtype::Temporal for #ident
        where for<'a> #inner: __orm::newtype::Temporal
        {
            type Part = <#inner as __orm::newtype::Temporal>::Part;
            type Epoch = <#inner as __orm::newtype::Temporal>::Epoch;
            const EPOCH_SCALE: u8 = <#inner as __orm::newtype::Temporal>::EPOCH_SCALE;
        }
    }
}
