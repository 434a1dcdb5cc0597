//! Derive macros for orm. Use them through the `orm` crate: `#[derive(orm::Model)]`.
//!
//! The work happens on `proc_macro2` in three steps: `attr` parses `#[orm(..)]` attributes
//! into typed structs, collecting every error with its span; `ast` normalizes them into a
//! model (names resolved, keys and generated columns decided, cross-field checks); `expand`
//! writes the code, which refers only to `::orm::__private`.

mod ast;
mod attr;
mod expand;
mod from_row;
mod names;

use proc_macro::TokenStream;

/// Derive `orm::Model` for a struct with named fields: table metadata, typed column handles
/// (`User::email`), the `NewUser` insert struct, row decoding, and query entry points.
#[proc_macro_derive(Model, attributes(orm))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    expand::model(input.into()).into()
}

/// Derive `orm::FromRow`: decode rows by position (for `orm::raw(..).fetch_as`). With
/// `#[orm(model = User)]` the struct is also a DTO of `User` whose fields name its columns:
/// `User::query().select_as::<Dto>()` selects exactly those columns.
#[proc_macro_derive(FromRow, attributes(orm))]
pub fn derive_from_row(input: TokenStream) -> TokenStream {
    from_row::from_row(input.into()).into()
}
