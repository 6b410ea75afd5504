//! A typed view of the item under `#[derive(MonitoredCache)]`, borrowed from the parsed input.

use proc_macro2::Span;
use syn::{Attribute, Data, DeriveInput, Fields, Generics, Ident, Member, Type};

/// The item the derive was put on.
pub(crate) struct Input<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) generics: &'a Generics,
    pub(crate) attrs: &'a [Attribute],
    pub(crate) shape: Shape<'a>,
}

pub(crate) enum Shape<'a> {
    Struct(Vec<Field<'a>>),
    /// An enum or a union: the span of its keyword, and what it is (`an enum`, `a union`).
    Other(Span, &'static str),
}

/// One field of the struct.
pub(crate) struct Field<'a> {
    pub(crate) member: Member,
    pub(crate) ty: &'a Type,
    pub(crate) attrs: &'a [Attribute],
}

impl<'a> Input<'a> {
    pub(crate) fn from_syn(input: &'a DeriveInput) -> Self {
        let shape = match &input.data {
            Data::Struct(data) => Shape::Struct(fields(&data.fields)),
            Data::Enum(data) => Shape::Other(data.enum_token.span, "an enum"),
            Data::Union(data) => Shape::Other(data.union_token.span, "a union"),
        };
        Input { ident: &input.ident, generics: &input.generics, attrs: &input.attrs, shape }
    }
}

fn fields(fields: &Fields) -> Vec<Field<'_>> {
    fields
        .iter()
        .enumerate()
        .map(|(index, field)| Field {
            member: match &field.ident {
                Some(ident) => Member::Named(ident.clone()),
                None => Member::Unnamed(index.into()),
            },
            ty: &field.ty,
            attrs: &field.attrs,
        })
        .collect()
}
