//! `#[derive(FromRow)]`: positional decoding for raw SQL, and with `#[orm(model = M)]` a DTO
//! that selects its own columns of `M` (`M::query().select_as::<Dto>()`).

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Path};

/// Expand the derive; errors become `compile_error!` at their spans.
pub fn from_row(input: TokenStream) -> TokenStream {
    match expand(input) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

fn model_attribute(input: &DeriveInput) -> syn::Result<Option<Path>> {
    let mut model = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("orm")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("model") {
                model = Some(meta.value()?.parse::<Path>()?);
                Ok(())
            } else {
                Err(meta.error("unknown FromRow attribute; expected `model = Model`"))
            }
        })?;
    }
    Ok(model)
}

fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let name = &input.ident;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new(
            Span::call_site(),
            "FromRow needs a struct with named fields",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new(
            data.fields.span(),
            "FromRow needs a struct with named fields",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.generics.span(),
            "FromRow does not support generic structs",
        ));
    }
    let model = model_attribute(&input)?;
    let idents: Vec<_> = fields
        .named
        .iter()
        .filter_map(|f| f.ident.clone())
        .collect();
    let types: Vec<_> = fields.named.iter().map(|f| f.ty.clone()).collect();
    let p = quote!(::orm::__private);

    let positional = quote! {
        impl #p::FromRow for #name {
            fn decode_at<R: #p::RowReader + ?Sized>(row: &R, index: &mut usize) -> #p::Result<Self> {
                ::core::result::Result::Ok(#name {
                    #(#idents: <#types as #p::FromRow>::decode_at(row, index)?,)*
                })
            }
        }
    };
    let Some(model) = model else {
        return Ok(positional);
    };
    // Each field is decoded through its model column; a field whose type differs from the
    // column's is a type error spanned at the field.
    let decodes = idents.iter().zip(&types).map(|(ident, ty)| {
        let column = quote_spanned!(ty.span()=> #model::#ident);
        quote_spanned! {ty.span()=>
            #ident: #p::decode_column::<#ty, _, _>(row, &mut index, #column)?
        }
    });
    let pushes = idents.iter().map(|ident| {
        quote_spanned! {ident.span()=>
            #p::Selection::push_exprs(&#model::#ident, out);
        }
    });
    Ok(quote! {
        #positional
        impl #p::SelectAs<#model> for #name {
            fn push_exprs(out: &mut #p::SelectList) {
                #(#pushes)*
            }
            fn decode_selected<R: #p::RowReader + ?Sized>(row: &R) -> #p::Result<Self> {
                let mut index = 0usize;
                ::core::result::Result::Ok(#name { #(#decodes,)* })
            }
        }
    })
}
