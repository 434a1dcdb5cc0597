//! The executor seam: one trait through which every operation runs, implemented by the
//! facade for `&Database`, `&Transaction` and `&Connection`.

use std::future::Future;

use crate::dialect::Dialect;
use crate::error::Result;
use crate::statement::Statement;
use crate::types::RowReader;

/// Turns one row into a value; models, selections and scalars each have one.
#[diagnostic::on_unimplemented(
    message = "this query has no select list yet",
    label = "call .select(..) before running it"
)]
pub trait RowDecoder: Send + Sync {
    /// What a row becomes.
    type Output: Send + Unpin;
    /// Decode the current row.
    fn decode<R: RowReader + ?Sized>(&self, row: &R) -> Result<Self::Output>;
}

/// Something statements can run on: a pool, a transaction or a held connection.
///
/// Executors are shared references (`&db`, `&tx`), so they are `Copy` and can be passed to
/// several operations in a row.
pub trait Executor: Copy + Send + Sync {
    /// The dialect statements must be rendered in.
    fn dialect(self) -> &'static dyn Dialect;
    /// Run a statement and return the number of rows it affected.
    fn execute(self, statement: Statement) -> impl Future<Output = Result<u64>> + Send;
    /// Run statements in order, all or nothing: on a pool or connection they run in a
    /// transaction of their own; inside a transaction they join it.
    fn execute_atomic(self, statements: Vec<Statement>)
    -> impl Future<Output = Result<u64>> + Send;
    /// Run a query and decode every row.
    fn fetch_all<D: RowDecoder>(
        self,
        statement: Statement,
        decoder: D,
    ) -> impl Future<Output = Result<Vec<D::Output>>> + Send;
    /// Run a query and yield its rows one at a time as they arrive (the stream holds the
    /// connection until it is dropped). A statement that failed to render is the stream's
    /// only item.
    fn fetch_stream<'e, D: RowDecoder + 'static>(
        self,
        statement: Result<Statement>,
        decoder: D,
    ) -> impl futures_core::Stream<Item = Result<D::Output>> + Send + 'e
    where
        Self: 'e;
    /// Run a query and decode its first row, if any.
    fn fetch_optional<D: RowDecoder>(
        self,
        statement: Statement,
        decoder: D,
    ) -> impl Future<Output = Result<Option<D::Output>>> + Send;
}
