//! The executor seam: one trait through which every operation runs, implemented by the
//! facade for `&Database`, `&Transaction` and `&Connection`.

use std::future::Future;
use std::pin::Pin;

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

    /// Relationship loads to run on the decoded rows (`.with(..)`); none by default.
    fn take_followups(&mut self) -> Vec<Box<dyn crate::relation::Loader<Self::Output>>> {
        Vec::new()
    }
}

impl<D: RowDecoder> RowDecoder for &D {
    type Output = D::Output;
    #[inline]
    fn decode<R: RowReader + ?Sized>(&self, row: &R) -> Result<Self::Output> {
        (**self).decode(row)
    }
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
    /// transaction of their own; inside a transaction they join it. Returns the number of
    /// rows each statement affected.
    fn execute_atomic(
        self,
        statements: Vec<Statement>,
    ) -> impl Future<Output = Result<Vec<u64>>> + Send;
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
    /// Run a query and hand every row to `each` as it arrives.
    fn fetch_each<F>(
        self,
        statement: Statement,
        each: F,
    ) -> impl Future<Output = Result<()>> + Send
    where
        F: FnMut(&dyn RowReader) -> Result<()> + Send;
    /// An executor that sends a run of statements (a query and its relationship loads) on
    /// one connection, given back when it is dropped; `None` when `self` already sends every
    /// statement on one connection (a transaction, a held connection), the default.
    fn one_connection<'s>(self) -> Option<Box<dyn DynExecutor + 's>>
    where
        Self: 's,
    {
        None
    }
}

/// A boxed future, for the object-safe [`DynExecutor`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The row callback of [`DynExecutor::fetch_each_dyn`].
pub type RowSink<'a> = &'a mut (dyn FnMut(&dyn RowReader) -> Result<()> + Send);

/// An [`Executor`] behind a `dyn` reference, so that relationship loaders (stored as trait
/// objects inside queries) can run statements; `&dyn DynExecutor` is itself an executor.
pub trait DynExecutor: Send + Sync {
    /// See [`Executor::dialect`].
    fn dialect_dyn(&self) -> &'static dyn Dialect;
    /// See [`Executor::execute`].
    fn execute_dyn(&self, statement: Statement) -> BoxFuture<'_, Result<u64>>;
    /// See [`Executor::execute_atomic`].
    fn execute_atomic_dyn(&self, statements: Vec<Statement>) -> BoxFuture<'_, Result<Vec<u64>>>;
    /// See [`Executor::fetch_each`].
    fn fetch_each_dyn<'a>(
        &'a self,
        statement: Statement,
        each: RowSink<'a>,
    ) -> BoxFuture<'a, Result<()>>;
}

impl<E: Executor> DynExecutor for E {
    fn dialect_dyn(&self) -> &'static dyn Dialect {
        self.dialect()
    }
    fn execute_dyn(&self, statement: Statement) -> BoxFuture<'_, Result<u64>> {
        Box::pin(self.execute(statement))
    }
    fn execute_atomic_dyn(&self, statements: Vec<Statement>) -> BoxFuture<'_, Result<Vec<u64>>> {
        Box::pin(self.execute_atomic(statements))
    }
    fn fetch_each_dyn<'a>(
        &'a self,
        statement: Statement,
        each: RowSink<'a>,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.fetch_each(statement, each))
    }
}

// Over any object lifetime, not just the borrow's: a boxed `Send` future that passes a
// `&dyn DynExecutor` to a function generic over `E: Executor` needs the impl for both.
impl<'o> Executor for &(dyn DynExecutor + 'o) {
    fn dialect(self) -> &'static dyn Dialect {
        self.dialect_dyn()
    }

    fn execute(self, statement: Statement) -> impl Future<Output = Result<u64>> + Send {
        self.execute_dyn(statement)
    }

    fn execute_atomic(
        self,
        statements: Vec<Statement>,
    ) -> impl Future<Output = Result<Vec<u64>>> + Send {
        self.execute_atomic_dyn(statements)
    }

    async fn fetch_all<D: RowDecoder>(
        self,
        statement: Statement,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        let mut rows = Vec::new();
        self.fetch_each_dyn(statement, &mut |row| {
            rows.push(decoder.decode(row)?);
            Ok(())
        })
        .await?;
        Ok(rows)
    }

    fn fetch_stream<'e, D: RowDecoder + 'static>(
        self,
        statement: Result<Statement>,
        decoder: D,
    ) -> impl futures_core::Stream<Item = Result<D::Output>> + Send + 'e
    where
        Self: 'e,
    {
        // Relationship loaders collect their rows; they never stream.
        let _ = (statement, decoder);
        let mut error = Some(crate::Error::InvalidStatement {
            message: "streaming is not available inside a relationship load".into(),
        });
        PollStream(move |_: &mut std::task::Context<'_>| {
            std::task::Poll::Ready(error.take().map(Err))
        })
    }

    async fn fetch_optional<D: RowDecoder>(
        self,
        statement: Statement,
        decoder: D,
    ) -> Result<Option<D::Output>> {
        let mut first = None;
        self.fetch_each_dyn(statement, &mut |row| {
            if first.is_none() {
                first = Some(decoder.decode(row)?);
            }
            Ok(())
        })
        .await?;
        Ok(first)
    }

    async fn fetch_each<F>(self, statement: Statement, mut each: F) -> Result<()>
    where
        F: FnMut(&dyn RowReader) -> Result<()> + Send,
    {
        self.fetch_each_dyn(statement, &mut each).await
    }
}

/// A stream from a poll function.
struct PollStream<F>(F);

impl<T, F> futures_core::Stream for PollStream<F>
where
    F: FnMut(&mut std::task::Context<'_>) -> std::task::Poll<Option<T>> + Unpin,
{
    type Item = T;
    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<T>> {
        (self.0)(cx)
    }
}
