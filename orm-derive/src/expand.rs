//! Code generation. Everything generated refers to `::orm::__private` and sits in a
//! `const _: () = { .. };` block, except the `New<Model>` struct users name.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput};

use crate::ast::{self, AutoTimestamp, Check, Column, Default, Generated, Mixins, Model, Relation};
use crate::attr::RelationKind;
use crate::attr::{DefaultLit, Errors, RuleAttr, RuleKind};

/// Entry point of `#[derive(Model)]`.
pub fn model(input: TokenStream) -> TokenStream {
    match syn::parse2(input) {
        Ok(input) => model_with(&input, &Mixins::new(), &TokenStream::new()),
        Err(error) => error.to_compile_error(),
    }
}

/// `model_with_mixins! { { field { mixin fields } .. } { derive input } }`: the derive again,
/// with the fields of the mixins found so far (see [`crate::mixin`]).
pub fn model_with_mixins(tokens: TokenStream) -> TokenStream {
    // Called from a mixin's `macro_rules!`, this macro's own spans carry that macro's
    // hygiene: the input's names are resolved with them (locations kept), so that the
    // generated locals and the code naming them meet, as they do in the derive.
    let tokens = resolve_at(tokens, Span::call_site());
    let parsed = (|| -> syn::Result<(TokenStream, Mixins, DeriveInput)> {
        let mut groups = tokens.into_iter();
        let (Some(TokenTree::Group(resolved)), Some(TokenTree::Group(input)), None) =
            (groups.next(), groups.next(), groups.next())
        else {
            return Err(syn::Error::new(
                Span::call_site(),
                "model_with_mixins! is orm's own: { mixins } { derive input }",
            ));
        };
        let mixins = syn::parse::Parser::parse2(parse_mixins, resolved.stream())?;
        Ok((resolved.stream(), mixins, syn::parse2(input.stream())?))
    })();
    match parsed {
        Ok((resolved, mixins, input)) => model_with(&input, &mixins, &resolved),
        Err(error) => error.to_compile_error(),
    }
}

/// `tokens` with every name resolved at `root`'s hygiene (locations kept).
fn resolve_at(tokens: TokenStream, root: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), resolve_at(group.stream(), root));
                inner.set_span(group.span().resolved_at(root));
                return TokenTree::Group(inner);
            }
            token.set_span(token.span().resolved_at(root));
            token
        })
        .collect()
}

/// `field { #[attrs] name: Type, .. } ..`
fn parse_mixins(input: syn::parse::ParseStream) -> syn::Result<Mixins> {
    let mut mixins = Mixins::new();
    while !input.is_empty() {
        let field: syn::Ident = input.parse()?;
        let body;
        syn::braced!(body in input);
        let fields =
            syn::punctuated::Punctuated::<syn::Field, syn::Token![,]>::parse_terminated_with(
                &body,
                syn::Field::parse_named,
            )?;
        mixins.push((field, fields.into_iter().collect()));
    }
    Ok(mixins)
}

/// The derive, once every `#[orm(flatten)]` field's mixin has given its fields; until then,
/// a call to the next mixin's macro, which calls back with its fields added.
fn model_with(input: &DeriveInput, mixins: &Mixins, resolved: &TokenStream) -> TokenStream {
    if let syn::Data::Enum(data) = &input.data {
        return crate::inheritance::expand(input, data);
    }
    if let Some((field, ty)) = next_mixin(input, mixins) {
        let syn::Type::Path(path) = ty else {
            return syn::Error::new(ty.span(), "flatten needs a type that derives Mixin")
                .to_compile_error();
        };
        let path = &path.path;
        return quote_spanned! {ty.span()=>
            const _: () = ::orm::__private::assert_mixin::<#ty>();
            #path! { @orm_flatten { #resolved } #field { #input } }
        };
    }
    let mut errors = Errors::default();
    let model = ast::build(input, mixins, &mut errors);
    match (errors.finish(), model) {
        (Ok(()), Some(model)) => expand(&model),
        (Err(error), _) => {
            let mut out = error.to_compile_error();
            out.extend(fallback(input));
            out
        }
        (Ok(()), None) => TokenStream::new(),
    }
}

/// The first `#[orm(flatten)]` field whose mixin's fields are not known yet.
fn next_mixin<'a>(
    input: &'a DeriveInput,
    mixins: &Mixins,
) -> Option<(&'a syn::Ident, &'a syn::Type)> {
    let Data::Struct(data) = &input.data else {
        return None;
    };
    data.fields.iter().find_map(|field| {
        let ident = field.ident.as_ref()?;
        let flattened = crate::attr::flatten_attr(&field.attrs).is_some();
        (flattened && !mixins.iter().any(|(name, _)| name == ident)).then_some((ident, &field.ty))
    })
}

/// On error, a stub `Model` impl so that one bad attribute yields one error, not a cascade
/// at every use of the model.
fn fallback(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    quote! {
        const _: () = {
            use ::orm::__private as __orm;
            impl __orm::Model for #ident {
                const TABLE: &'static __orm::TableMeta = &__orm::TableMeta {
                    model: "", name: "", columns: &[], primary_key: &[], primary_key_name: "", indexes: &[], foreign_keys: &[], checks: &[], relations: &[], version: ::core::option::Option::None, soft_delete: ::core::option::Option::None, lint_allows: &[], discriminator: ::core::option::Option::None,
                };
                type Key = ();
                type New = ();
                fn decode_row<R: __orm::RowReader + ?Sized>(_: &R) -> __orm::Result<Self> { ::core::unreachable!() }
                fn key_values(_: &()) -> __orm::Vec<__orm::Value> { ::core::unreachable!() }
                fn key(&self) {}
                fn column_values(&self) -> __orm::Vec<__orm::Value> { ::core::unreachable!() }
                fn statement_cache() -> &'static __orm::StatementCache { ::core::unreachable!() }
            }
        };
    }
}

fn type_const(index: usize) -> syn::Ident {
    format_ident!("__ORM_TYPE_{}", index)
}

/// The column's SQL type: the Rust type's mapping refined by attributes, with compile-time
/// checks that the attributes fit the type, each spanned at the attribute so a misuse is one
/// error there.
fn sql_type(column: &Column) -> TokenStream {
    let ty = &column.ty;
    let mut checks = TokenStream::new();
    let mut out = quote_spanned!(ty.span()=> <#ty as __orm::SqlField>::SQL_TYPE);
    if let Some(n) = &column.max_length {
        let value = n.value;
        checks.extend(quote_spanned!(n.span=> __orm::assert_text::<#ty>();));
        out = quote!(#out.with_max_length(#value));
    }
    for rule in &column.rules {
        checks.extend(match rule.kind {
            RuleKind::Range(..) => quote_spanned!(rule.span=> __orm::assert_range::<#ty>();),
            RuleKind::Custom(_) => TokenStream::new(),
            _ => quote_spanned!(rule.span=> __orm::assert_text::<#ty>();),
        });
    }
    if let Some(span) = column.auto_newtype {
        checks.extend(quote_spanned!(span=> __orm::assert_auto_key::<#ty>();));
    }
    if let Some(numeric) = &column.numeric {
        let (p, s) = numeric.value;
        checks.extend(quote_spanned!(numeric.span=> __orm::assert_decimal::<#ty>();));
        out = quote!(#out.with_numeric(#p, #s));
    }
    if let Some(json) = &column.json {
        let binary = json.value;
        checks.extend(quote_spanned!(json.span=> __orm::assert_json::<#ty>();));
        out = quote!(#out.with_json(#binary));
    }
    if checks.is_empty() {
        out
    } else {
        quote!({ #checks #out })
    }
}

fn default_tokens(default: &Option<Default>) -> TokenStream {
    match default {
        None => quote!(::core::option::Option::None),
        Some(Default::Literal(DefaultLit::Bool(b))) => {
            quote!(::core::option::Option::Some(__orm::ColumnDefault::Bool(#b)))
        }
        Some(Default::Literal(DefaultLit::Int(i))) => {
            quote!(::core::option::Option::Some(__orm::ColumnDefault::Int(#i)))
        }
        Some(Default::Literal(DefaultLit::Float(f))) => {
            quote!(::core::option::Option::Some(__orm::ColumnDefault::Float(#f)))
        }
        Some(Default::Literal(DefaultLit::Str(s))) => {
            quote!(::core::option::Option::Some(__orm::ColumnDefault::Str(#s)))
        }
        Some(Default::Sql(s)) => {
            quote!(::core::option::Option::Some(__orm::ColumnDefault::Sql(#s)))
        }
        Some(Default::CurrentTimestamp) => quote!(::core::option::Option::Some(
            __orm::ColumnDefault::CurrentTimestamp
        )),
    }
}

/// The Rust expression for a `default = <literal>` in the `New<Model>` `Default` impl.
fn default_value(column: &Column) -> TokenStream {
    let wrap = |value: TokenStream| {
        if ast::option_inner(&column.syn_ty).is_some() {
            quote!(::core::option::Option::Some(::core::convert::From::from(#value)))
        } else {
            quote!(::core::convert::From::from(#value))
        }
    };
    match &column.default {
        Some(Default::Literal(DefaultLit::Bool(b))) => wrap(quote!(#b)),
        Some(Default::Literal(DefaultLit::Int(i))) => {
            let lit = syn::LitInt::new(&i.to_string(), Span::call_site());
            let ty = &column.ty;
            quote!(<#ty as ::core::convert::TryFrom<i64>>::try_from(#lit).unwrap_or_default())
        }
        Some(Default::Literal(DefaultLit::Float(f))) => wrap(quote!(#f)),
        Some(Default::Literal(DefaultLit::Str(s))) => wrap(quote!(#s)),
        _ => quote!(::core::default::Default::default()),
    }
}

/// A `ForeignKeyMeta` literal: `columns` referencing the table `references` returns (its
/// primary key when `referenced` is empty), with (`on_delete`, `on_update`, whether
/// `on_delete` was written).
fn foreign_key_meta(
    name: &str,
    columns: &[String],
    references: &syn::Ident,
    referenced: &[String],
    (on_delete, on_update, declared): (&str, &str, bool),
) -> TokenStream {
    let on_delete = format_ident!("{}", on_delete);
    let on_update = format_ident!("{}", on_update);
    quote! {
        __orm::ForeignKeyMeta {
            name: #name,
            columns: &[#(#columns),*],
            references: #references,
            referenced_columns: &[#(#referenced),*],
            on_delete: __orm::ReferentialAction::#on_delete,
            on_update: __orm::ReferentialAction::#on_update,
            on_delete_declared: #declared,
        }
    }
}

/// With `#[orm(hooks)]`, the `Model` methods that run `before_update` / `before_delete`,
/// and the `NewModel` one that runs `before_insert`; nothing without.
fn hook_tokens(model: &Model) -> (TokenStream, TokenStream) {
    let ident = &model.ident;
    let Some(span) = model.hooks else {
        return (TokenStream::new(), TokenStream::new());
    };
    // The session runs `before_update` on a copy: a clear error where `hooks` is written
    // when the model cannot be copied.
    let copy = quote_spanned!(span=> <Self as __orm::HooksClone>::hooks_copy(self));
    let model_hooks = quote! {
        fn hook_before_update(&mut self) -> __orm::Result<()> {
            <Self as __orm::Hooks>::before_update(self)
        }
        fn hook_before_delete(&self) -> __orm::Result<()> {
            <Self as __orm::Hooks>::before_delete(self)
        }
        fn hook_updated_copy(&self) -> __orm::Result<::core::option::Option<Self>> {
            let mut copy = #copy;
            <Self as __orm::Hooks>::before_update(&mut copy)?;
            ::core::result::Result::Ok(::core::option::Option::Some(copy))
        }
    };
    let insert_hook = quote! {
        const HOOKED: bool = true;
        fn hook_before_insert(&self) -> __orm::Result<::core::option::Option<Self>> {
            let mut row = ::core::clone::Clone::clone(self);
            <#ident as __orm::Hooks>::before_insert(&mut row)?;
            ::core::result::Result::Ok(::core::option::Option::Some(row))
        }
    };
    (model_hooks, insert_hook)
}

/// A `validate(..)` rule of `column` as an `orm_core::validation::Rule` literal.
fn rule_tokens(rule: &RuleAttr, column: &Column) -> TokenStream {
    let some = |v: Option<TokenStream>| match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    };
    match &rule.kind {
        RuleKind::Length(min, max) => {
            let (min, max) = (some(min.map(|n| quote!(#n))), some(max.map(|n| quote!(#n))));
            quote!(__orm::Rule::Length { min: #min, max: #max })
        }
        RuleKind::Range(min, max) => {
            let (min, max) = (
                some(min.as_ref().map(|n| quote!(#n))),
                some(max.as_ref().map(|n| quote!(#n))),
            );
            quote!(__orm::Rule::Range { min: #min, max: #max })
        }
        RuleKind::Email => quote!(__orm::Rule::Email),
        RuleKind::OneOf(values) => quote!(__orm::Rule::OneOf(&[#(#values),*])),
        RuleKind::Custom(path) => {
            let written = ast::option_inner(&column.syn_ty);
            let is_string = matches!(written.unwrap_or(&column.syn_ty), syn::Type::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "String"));
            let ty = &column.ty;
            let inner = match written {
                Some(_) => quote!(<#ty as __orm::OptionInner>::Inner),
                None => quote!(#ty),
            };
            // A text field's check takes `&str`; any other field's `&T`.
            let call = if is_string {
                quote_spanned!(path.span()=> __orm::run_custom_str(value, #path))
            } else {
                quote_spanned!(path.span()=> __orm::run_custom::<#inner>(value, #path))
            };
            quote!(__orm::Rule::Custom({
                fn check(
                    value: &__orm::Value,
                ) -> ::core::result::Result<(), ::std::string::String> {
                    #call
                }
                check
            }))
        }
    }
}

fn expand(model: &Model) -> TokenStream {
    let ident = &model.ident;
    let (model_hooks, insert_hook) = hook_tokens(model);
    let vis = &model.vis;
    let table = &model.table;
    let new_ident = format_ident!("New{}", ident);

    let type_consts = model.columns.iter().enumerate().map(|(i, c)| {
        let name = type_const(i);
        let ty = sql_type(c);
        quote! {
            #[allow(non_upper_case_globals)]
            const #name: __orm::SqlType = #ty;
        }
    });

    let column_meta = model.columns.iter().enumerate().map(|(i, c)| {
        let name = &c.name;
        let field = c.ident.to_string();
        let ty_const = type_const(i);
        let field_ty = &c.ty;
        let nullable = quote_spanned!(field_ty.span()=> <#field_ty as __orm::SqlField>::NULLABLE);
        let primary_key = c.primary_key;
        let unique = match &c.unique {
            Some(name) => quote!(::std::option::Option::Some(#name)),
            None => quote!(::std::option::Option::None),
        };
        let generated = match c.generated {
            Generated::No => quote!(__orm::Generated::No),
            Generated::AutoIncrement => quote!(__orm::Generated::AutoIncrement),
            Generated::ClientUuid => quote!(__orm::Generated::ClientUuid),
            Generated::ServerDefault => quote!(__orm::Generated::ServerDefault),
            Generated::ByKeyType => quote!(if <#field_ty as __orm::SqlField>::SQL_TYPE.is_uuid() {
                __orm::Generated::ClientUuid
            } else {
                __orm::Generated::AutoIncrement
            }),
        };
        let auto = match c.auto_timestamp {
            AutoTimestamp::No => quote!(No),
            AutoTimestamp::CreatedAt => quote!(CreatedAt),
            AutoTimestamp::UpdatedAt => quote!(UpdatedAt),
        };
        let default = default_tokens(&c.default);
        let rules = c.rules.iter().map(|rule| rule_tokens(rule, c));
        quote! {
            __orm::ColumnMeta {
                name: #name,
                field: #field,
                ty: #ty_const,
                nullable: #nullable,
                primary_key: #primary_key,
                unique: #unique,
                generated: #generated,
                default: #default,
                auto_timestamp: __orm::AutoTimestamp::#auto,
                values: <#field_ty as __orm::SqlField>::VALUES,
                rules: &[#(#rules),*],
            }
        }
    });

    let key_names = model.primary_key.iter().map(|&i| &model.columns[i].name);
    let primary_key_name = &model.primary_key_name;
    let indexes = model.indexes.iter().map(|index| {
        let name = &index.name;
        let columns = &index.columns;
        let unique = index.unique;
        let ignore_deleted = index.ignore_deleted;
        let option = |value: &Option<String>| match value {
            Some(value) => quote!(::core::option::Option::Some(#value)),
            None => quote!(::core::option::Option::None),
        };
        let (predicate, method) = (option(&index.predicate), option(&index.method));
        let include = &index.include;
        quote!(__orm::IndexMeta {
            name: #name,
            columns: &[#(#columns),*],
            unique: #unique,
            ignore_deleted: #ignore_deleted,
            predicate: #predicate,
            method: #method,
            include: &[#(#include),*],
        })
    });
    let fk_fns = model.foreign_keys.iter().enumerate().map(|(i, fk)| {
        let fn_name = format_ident!("__orm_references_{}", i);
        let target = &fk.target;
        let field_ty = &model.columns[fk.column].ty;
        let check = quote_spanned!(target.span()=>
            __orm::assert_references::<#field_ty, <#target as __orm::Model>::Key>());
        quote! {
            fn #fn_name() -> &'static __orm::TableMeta {
                const _: () = #check;
                <#target as __orm::Model>::TABLE
            }
        }
    });
    let foreign_keys = model.foreign_keys.iter().enumerate().map(|(i, fk)| {
        foreign_key_meta(
            &fk.name,
            std::slice::from_ref(&model.columns[fk.column].name),
            &format_ident!("__orm_references_{}", i),
            &[],
            (fk.on_delete, fk.on_update, fk.on_delete_declared),
        )
    });
    let composite_fk_fns = model
        .composite_foreign_keys
        .iter()
        .enumerate()
        .map(|(i, fk)| {
            let fn_name = format_ident!("__orm_references_composite_{}", i);
            let target = &fk.target;
            quote! {
                fn #fn_name() -> &'static __orm::TableMeta {
                    <#target as __orm::Model>::TABLE
                }
            }
        });
    let foreign_keys = foreign_keys.chain(model.composite_foreign_keys.iter().enumerate().map(
        |(i, fk)| {
            foreign_key_meta(
                &fk.name,
                &fk.columns,
                &format_ident!("__orm_references_composite_{}", i),
                &fk.referenced_columns,
                (fk.on_delete, fk.on_update, fk.on_delete_declared),
            )
        },
    ));
    let checks = model
        .checks
        .iter()
        .map(|(name, body)| match body {
            Check::Sql(expr) => {
                quote!(__orm::CheckMeta { name: #name, expr: #expr, condition: ::core::option::Option::None })
            }
            Check::Condition(condition) => quote!(__orm::CheckMeta {
                name: #name,
                expr: "",
                condition: ::core::option::Option::Some({
                    fn condition() -> __orm::Condition {
                        #condition
                    }
                    condition
                }),
            }),
        });

    // Column handles.
    let handles = model.columns.iter().enumerate().map(|(i, c)| {
        let field = &c.ident;
        let ty = &c.ty;
        let name = &c.name;
        let ty_const = type_const(i);
        let doc = format!("The `{name}` column of `{table}`.");
        quote! {
            #[doc = #doc]
            #[allow(non_upper_case_globals)]
            pub const #field: __orm::Column<#ident, #ty> = __orm::Column::new(#table, #name, #ty_const);
        }
    });

    // Key.
    let key_columns: Vec<&Column> = model
        .primary_key
        .iter()
        .map(|&i| &model.columns[i])
        .collect();
    let key_types = key_columns.iter().map(|c| &c.ty);
    let key_fields = key_columns.iter().map(|c| &c.ident);
    let (key_type, key_expr, key_values) = if key_columns.len() == 1 {
        let ty = &key_columns[0].ty;
        let field = &key_columns[0].ident;
        let ty_const = type_const(model.primary_key[0]);
        (
            quote!(#ty),
            quote!(::core::clone::Clone::clone(&self.#field)),
            quote!(__orm::vec![__orm::SqlField::to_value(key).conform(#ty_const)]),
        )
    } else {
        let idx = (0..key_columns.len()).map(syn::Index::from);
        let consts = model.primary_key.iter().map(|&i| type_const(i));
        (
            quote!((#(#key_types),*)),
            quote!((#(::core::clone::Clone::clone(&self.#key_fields)),*)),
            quote!(__orm::vec![#(__orm::SqlField::to_value(&key.#idx).conform(#consts)),*]),
        )
    };

    let decode_locals = model.columns.iter().enumerate().map(|(i, c)| {
        let local = format_ident!("__orm_c{}", i);
        let ty = &c.ty;
        let ty_const = type_const(i);
        quote_spanned!(ty.span()=> let #local = <#ty as __orm::SqlField>::decode(row, #i, #ty_const)?;)
    });
    let local_field = |(i, c): (usize, &Column)| {
        let field = &c.ident;
        let local = format_ident!("__orm_c{}", i);
        quote!(#field: #local)
    };
    let decode_fields = model
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.parent.is_none())
        .map(local_field)
        .collect::<Vec<_>>();
    // A flattened field is its mixin, built from its columns.
    let decode_mixins = model.flattened.iter().map(|(parent, ty)| {
        let fields = model
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.parent.as_ref() == Some(parent))
            .map(local_field);
        quote!(#parent: #ty { #(#fields),* })
    });
    let decode_relations = model.relations.iter().enumerate().map(|(r, rel)| {
        let field = &rel.ident;
        let ty = &rel.ty;
        let meta = relation_const(r);
        let local = format_ident!("__orm_c{}", rel.own_column);
        quote!(#field: <#ty>::unloaded(&#meta, __orm::RelationKey::relation_key(&#local)))
    });
    let relation_metas = model
        .relations
        .iter()
        .enumerate()
        .map(|(r, rel)| relation_meta(model, r, rel));
    let relation_consts = (0..model.relations.len()).map(relation_const);
    let relation_handles = model
        .relations
        .iter()
        .enumerate()
        .map(|(r, rel)| relation_handle(model, r, rel));
    let skipped = model
        .skipped
        .iter()
        .map(|f| quote!(#f: ::core::default::Default::default()));
    let values = model.columns.iter().enumerate().map(|(i, c)| {
        let member = c.member();
        let ty = &c.ty;
        let ty_const = type_const(i);
        quote_spanned!(ty.span()=> <#ty as __orm::SqlField>::to_value(&self.#member).conform(#ty_const))
    });

    // New<Model>.
    let new_columns: Vec<(usize, &Column)> = model
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.in_new_struct() || matches!(c.generated, Generated::ClientUuid | Generated::ByKeyType)
        })
        .collect();
    let new_fields = new_columns
        .iter()
        .filter(|(_, c)| c.in_new_struct())
        .map(|(_, c)| {
            let field = &c.ident;
            let ty = &c.ty;
            let docs = if c.docs.is_empty() {
                let doc = format!("Value of the `{}` column.", c.name);
                quote!(#[doc = #doc])
            } else {
                let docs = &c.docs;
                quote!(#(#docs)*)
            };
            let serde = if model.new_serde { &c.serde[..] } else { &[] };
            let attrs = &c.new_attrs;
            quote!(#docs #(#serde)* #(#[#attrs])* pub #field: #ty)
        });
    let new_defaults = new_columns
        .iter()
        .filter(|(_, c)| c.in_new_struct())
        .map(|(_, c)| {
            let field = &c.ident;
            let value = default_value(c);
            quote!(#field: #value)
        });
    // `Default` for `New<Model>` exists when every field left to `Default::default()` has one
    // (the `for<'a>` makes each bound a condition of the impl, not a requirement of the
    // model: a `Json<T>` field whose `T` has no default only takes that impl away).
    let default_bounds = new_columns
        .iter()
        .filter(|(_, c)| c.in_new_struct() && !matches!(c.default, Some(Default::Literal(_))))
        .map(|(_, c)| {
            let ty = &c.ty;
            quote!(for<'__orm> #ty: ::core::default::Default)
        });
    // A newtype key generated as its type says is a column of the insert when orm
    // generates it (a UUID), not when the database does.
    let client_key = new_columns
        .iter()
        .find(|(_, c)| c.generated == Generated::ByKeyType)
        .map(|(_, c)| {
            let ty = &c.ty;
            quote!(<#ty as __orm::SqlField>::SQL_TYPE.is_uuid())
        });
    // A variant of an inheritance writes its discriminator value after its own columns.
    let (discriminator_name, discriminator_value, discriminator_meta) = match &model.inherits {
        Some(base) => (
            quote!(<#base as __orm::inheritance::Inheritance>::DISCRIMINATOR,),
            quote!(__orm::inheritance::push_discriminator(<#ident as __orm::Model>::TABLE, out);),
            quote_spanned!(base.span()=> ::core::option::Option::Some(
                __orm::inheritance::discriminator::<#ident, #base>()
            )),
        ),
        None => (
            TokenStream::new(),
            TokenStream::new(),
            quote!(::core::option::Option::None),
        ),
    };
    let names = |all: bool| {
        let names = new_columns
            .iter()
            .filter(move |(_, c)| all || c.generated != Generated::ByKeyType)
            .map(|(_, c)| &c.name);
        quote!(&[#(#names,)* #discriminator_name])
    };
    let new_names = match &client_key {
        Some(client) => {
            let (with, without) = (names(true), names(false));
            quote!(if #client { #with } else { #without })
        }
        None => names(true),
    };
    let new_values = new_columns.iter().map(|(i, c)| {
        let ty_const = type_const(*i);
        let generated = quote!(out.push(__orm::SqlField::to_value(&__orm::new_uuid()).conform(#ty_const)););
        match c.generated {
            Generated::ClientUuid => generated,
            Generated::ByKeyType => {
                let ty = &c.ty;
                quote!(if <#ty as __orm::SqlField>::SQL_TYPE.is_uuid() { #generated })
            }
            _ => {
                let field = &c.ident;
                let ty = &c.ty;
                quote_spanned!(ty.span()=> out.push(<#ty as __orm::SqlField>::to_value(&self.#field).conform(#ty_const));)
            }
        }
    });
    // The key a row may give explicitly instead of having it generated (`.with_key(..)`).
    let generated_key = match model.primary_key[..] {
        [key] => Some((key, &model.columns[key])).filter(|(_, c)| {
            matches!(
                c.generated,
                Generated::AutoIncrement | Generated::ClientUuid | Generated::ByKeyType
            )
        }),
        _ => None,
    };
    let generated_key_impl = generated_key.map(|(key, column)| {
        let ty = &column.ty;
        // A key orm generates is replaced by the one given; a key the database generates
        // is inserted apart (`NewModel::explicit_key`).
        let client_body = || {
            let ty_const = type_const(key);
            let values = new_columns.iter().map(|(i, c)| {
                if *i == key {
                    quote!(__orm::SqlField::to_value(key).conform(#ty_const))
                } else {
                    let field = &c.ident;
                    let ty = &c.ty;
                    let ty_const = type_const(*i);
                    quote_spanned!(ty.span()=> <#ty as __orm::SqlField>::to_value(&self.#field).conform(#ty_const))
                }
            });
            quote!(#(out.push(#values);)* #discriminator_value)
        };
        let database_body = quote!(let _ = key; __orm::NewModel::push_values(self, out););
        let body = match column.generated {
            Generated::ClientUuid => client_body(),
            Generated::ByKeyType => {
                let client = client_body();
                quote!(if <#ty as __orm::SqlField>::SQL_TYPE.is_uuid() { #client } else { #database_body })
            }
            _ => database_body,
        };
        quote! {
            impl __orm::GeneratedKey for #new_ident {
                type Key = #ty;
                fn push_values_with_key(&self, key: &#ty, out: &mut __orm::Vec<__orm::Value>) {
                    #body
                }
            }
        }
    });
    let new_doc = match generated_key {
        Some((_, column)) => format!(
            "A `{ident}` to insert: every column except those the database or orm generate. \
             To give the generated key `{}` explicitly, use `.with_key(..)`.",
            column.ident
        ),
        None => format!(
            "A `{ident}` to insert: every column except those the database or orm generate."
        ),
    };
    let new_attrs = &model.new_attrs;
    // The version and soft-delete columns, with compile-time checks of their field types
    // spanned at the attribute.
    let special_column = |special: Option<(usize, Span)>, assert: &str| match special {
        Some((index, span)) => {
            let column = &model.columns[index];
            let (name, ty) = (&column.name, &column.ty);
            let assert = format_ident!("{}", assert);
            let check = quote_spanned!(span=> __orm::#assert::<#ty>());
            quote!({ const _: () = #check; ::core::option::Option::Some(#name) })
        }
        None => quote!(::core::option::Option::None),
    };
    let version_column = special_column(model.version, "assert_version");
    let soft_delete_impl = model
        .soft_delete
        .map(|_| quote!(impl __orm::SoftDelete for #ident {}));
    let soft_delete_column = special_column(model.soft_delete, "assert_soft_delete");
    let model_name = ident.to_string();
    let lint_allows = model.lint_allows.iter().map(|(field, code, reason)| {
        let field = match field {
            Some(field) => quote!(::core::option::Option::Some(#field)),
            None => quote!(::core::option::Option::None),
        };
        quote!(__orm::LintAllow { code: #code, field: #field, reason: #reason })
    });

    let construct = quote!(#ident {
        #(#decode_relations,)* #(#decode_fields,)* #(#decode_mixins,)* #(#skipped,)*
    });
    let decode_result = if model.hooks.is_some() {
        quote! {
            let mut row = #construct;
            <#ident as __orm::Hooks>::after_load(&mut row)?;
            ::core::result::Result::Ok(row)
        }
    } else {
        quote!(::core::result::Result::Ok(#construct))
    };
    quote! {
        #[doc = #new_doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone)]
        #(#[#new_attrs])*
        #vis struct #new_ident {
            #(#new_fields,)*
        }

        const _: () = {
            use ::orm::__private as __orm;

            #(#type_consts)*
            #(#fk_fns)*
            #(#composite_fk_fns)*
            #(#relation_metas)*

            impl ::core::default::Default for #new_ident where #(#default_bounds,)* {
                fn default() -> Self {
                    #new_ident { #(#new_defaults,)* }
                }
            }

            #generated_key_impl
            #soft_delete_impl

            impl __orm::NewModel for #new_ident {
                type Model = #ident;
                const COLUMNS: &'static [&'static str] = #new_names;
                fn push_values(&self, out: &mut __orm::Vec<__orm::Value>) {
                    #(#new_values)*
                    #discriminator_value
                }
                #insert_hook
            }

            impl __orm::Model for #ident {
                const TABLE: &'static __orm::TableMeta = &__orm::TableMeta {
                    model: #model_name,
                    name: #table,
                    columns: &[#(#column_meta),*],
                    primary_key: &[#(#key_names),*],
                    primary_key_name: #primary_key_name,
                    indexes: &[#(#indexes),*],
                    foreign_keys: &[#(#foreign_keys),*],
                    checks: &[#(#checks),*],
                    relations: &[#(#relation_consts),*],
                    version: #version_column,
                    soft_delete: #soft_delete_column,
                    lint_allows: &[#(#lint_allows),*],
                    discriminator: #discriminator_meta,
                };
                type Key = #key_type;
                type New = #new_ident;
                #[inline]
                fn decode_row<R: __orm::RowReader + ?Sized>(row: &R) -> __orm::Result<Self> {
                    #(#decode_locals)*
                    #decode_result
                }
                #model_hooks
                fn key_values(key: &Self::Key) -> __orm::Vec<__orm::Value> {
                    #key_values
                }
                fn key(&self) -> Self::Key {
                    #key_expr
                }
                fn column_values(&self) -> __orm::Vec<__orm::Value> {
                    __orm::vec![#(#values),*]
                }
                fn statement_cache() -> &'static __orm::StatementCache {
                    static CACHE: __orm::StatementCache = __orm::StatementCache::new();
                    &CACHE
                }
            }

            impl #ident {
                #(#handles)*
                #(#relation_handles)*

                /// A query over every row of this model.
                pub fn query() -> __orm::Select<#ident> {
                    __orm::Select::new()
                }

                /// An `UPDATE` of rows of this model; add `.filter(..)` and `.set(..)`.
                pub fn update() -> __orm::Update<#ident> {
                    __orm::Update::new()
                }

                /// A `DELETE` of rows of this model; add `.filter(..)`.
                pub fn delete() -> __orm::Delete<#ident> {
                    __orm::Delete::new()
                }

                /// A query for the row with this primary key.
                pub fn find(key: #key_type) -> __orm::Select<#ident> {
                    __orm::crud::find::<#ident>(&key)
                }

                /// The row with this primary key; `Error::NotFound` when there is none.
                pub fn get<E: __orm::Executor>(
                    db: E,
                    key: #key_type,
                ) -> impl __orm::Future<Output = __orm::Result<#ident>> + ::core::marker::Send {
                    __orm::crud::get::<#ident, E>(db, key)
                }
            }
        };
    }
}

fn relation_const(index: usize) -> syn::Ident {
    format_ident!("__ORM_RELATION_{}", index)
}

/// The `RelationMeta` constant of one relationship, with the compile-time checks that its
/// keys fit together (spanned at the attribute's names).
fn relation_meta(model: &Model, index: usize, rel: &Relation) -> TokenStream {
    let name = relation_const(index);
    let ident = &model.ident;
    let model_name = ident.to_string();
    let field = rel.ident.to_string();
    let optional = rel.optional;
    let target = &rel.target;
    let own = &model.columns[rel.own_column];
    let own_column = &own.name;
    let own_field = own.member();
    let own_ty = &own.ty;
    let kind = format_ident!(
        "{}",
        match rel.kind {
            RelationKind::HasMany => "HasMany",
            RelationKind::HasOne => "HasOne",
            RelationKind::BelongsTo => "BelongsTo",
            RelationKind::ManyToMany => "ManyToMany",
        }
    );
    let check_fn = format_ident!("__orm_check_relation_{}", index);
    let (target_column, check) = match &rel.foreign_field {
        Some(fk) => (
            {
                let field = fk.to_string();
                quote!(#field)
            },
            quote_spanned!(fk.span()=>
                #[allow(dead_code, non_snake_case)]
                fn #check_fn(parent: &#ident, child: &#target) {
                    __orm::KeyOf(&parent.#own_field).accepts(&child.#fk);
                }
            ),
        ),
        None if rel.kind == RelationKind::BelongsTo => (
            quote!(""),
            quote_spanned!(target.span()=>
                const _: () = __orm::assert_references::<#own_ty, <#target as __orm::Model>::Key>();
            ),
        ),
        None => (quote!(""), TokenStream::new()),
    };
    // The tables are reached through plain functions, not closures: a closure's `call_once`
    // shim is one generic function instantiated per model along a chain of relationships,
    // which meets the compiler's recursion limit after 128 models.
    let (through_fn, through) = match &rel.through {
        Some(path) => (
            quote_spanned!(path.span()=>
                fn through() -> &'static __orm::TableMeta {
                    <#path as __orm::Model>::TABLE
                }
            ),
            quote!(::core::option::Option::Some(through)),
        ),
        None => (TokenStream::new(), quote!(::core::option::Option::None)),
    };
    let (from, to) = &rel.through_columns;
    let alias = format!("{}__{}", model.table, rel.ident);
    quote! {
        #check
        #[allow(non_upper_case_globals)]
        const #name: __orm::RelationMeta = {
            fn parent() -> &'static __orm::TableMeta {
                <#ident as __orm::Model>::TABLE
            }
            fn target() -> &'static __orm::TableMeta {
                <#target as __orm::Model>::TABLE
            }
            #through_fn
            __orm::RelationMeta {
                model: #model_name,
                name: #field,
                kind: __orm::RelationKind::#kind,
                optional: #optional,
                parent,
                target,
                parent_column: #own_column,
                target_column: #target_column,
                through: #through,
                through_columns: (#from, #to),
                join_alias: #alias,
            }
        };
    }
}

/// The typed handle `Model::relationship`.
fn relation_handle(model: &Model, index: usize, rel: &Relation) -> TokenStream {
    let ident = &model.ident;
    let field = &rel.ident;
    let ty = &rel.ty;
    let target = &rel.target;
    let meta = relation_const(index);
    let own_field = model.columns[rel.own_column].member();
    let target_key = match &rel.foreign_field {
        Some(fk) => quote!(|child: &#target| __orm::RelationKey::relation_key(&child.#fk)),
        None => {
            quote!(|target: &#target| __orm::RelationKey::relation_key(&__orm::Model::key(target)))
        }
    };
    let doc = format!(
        "The `{field}` relationship ({}): pass it to `.with(..)` to load it.",
        rel.kind.attr()
    );
    quote! {
        #[doc = #doc]
        #[allow(non_upper_case_globals)]
        pub const #field: __orm::Relation<#ident, #ty> = __orm::Relation::new(
            &#meta,
            |parent: &mut #ident| &mut parent.#field,
            |parent: &#ident| __orm::RelationKey::relation_key(&parent.#own_field),
            #target_key,
        );
    }
}
