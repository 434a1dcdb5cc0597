//! `#[derive(Mixin)]`: a group of columns declared once (`Timestamps { created_at,
//! updated_at }`) and flattened into many models with `#[orm(flatten)] ts: Timestamps`.
//!
//! A derive sees one item, so the model's derive cannot read the mixin's fields: the mixin
//! leaves a macro under its own name (in the macro namespace, beside the struct) that hands
//! its fields back to the model's derive, `model_with_mixins!`. Its field types are named
//! through `MixinField<I>` impls written here, so they resolve where the mixin is declared.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Meta, Token};

/// Keys a mixin's field cannot take: a mixin holds plain columns.
const NOT_IN_MIXINS: &[&str] = &[
    "primary_key",
    "auto",
    "skip",
    "flatten",
    "has_many",
    "has_one",
    "belongs_to",
    "many_to_many",
];

/// Expand the derive; errors become `compile_error!` at their spans.
pub fn mixin(input: TokenStream) -> TokenStream {
    match expand(input) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let ident = &input.ident;
    let shape = "Mixin is for a struct with named fields, each a column";
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new(ident.span(), shape));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new(ident.span(), shape));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.generics.span(),
            "Mixin does not take generic parameters",
        ));
    }
    for field in &fields.named {
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("orm")) {
            let metas = attr.parse_args_with(
                syn::punctuated::Punctuated::<Meta, Token![,]>::parse_terminated,
            )?;
            if let Some(meta) = metas
                .iter()
                .find(|m| NOT_IN_MIXINS.iter().any(|key| m.path().is_ident(key)))
            {
                return Err(syn::Error::new(
                    meta.path().span(),
                    "a mixin holds plain columns: keys, relationships and skipped fields \
                     belong on the model",
                ));
            }
        }
    }
    let field_types = fields.named.iter().enumerate().map(|(index, field)| {
        let ty = &field.ty;
        quote! {
            impl ::orm::__private::MixinField<#index> for #ident {
                type Type = #ty;
            }
        }
    });
    let field_list = fields.named.iter().map(|field| {
        let attrs = &field.attrs;
        let name = &field.ident;
        let ty = &field.ty;
        quote!(#(#attrs)* #name: #ty,)
    });
    let callback = format_ident!("__orm_mixin_{}", ident);
    Ok(quote! {
        impl ::orm::__private::Mixin for #ident {}
        #(#field_types)*

        #[doc(hidden)]
        macro_rules! #callback {
            (@orm_flatten { $($resolved:tt)* } $field:ident { $($input:tt)* }) => {
                ::orm::__private::model_with_mixins! {
                    { $($resolved)* $field { #(#field_list)* } }
                    { $($input)* }
                }
            };
        }
        #[doc(hidden)]
        #[allow(unused_imports)]
        pub(crate) use #callback as #ident;
    })
}
