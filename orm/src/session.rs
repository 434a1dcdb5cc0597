//! [`Session`]: a unit of work in a transaction, with an identity map.

use std::ops::{Index, IndexMut};

use orm_core::error::{Error, Result};
use orm_core::selection::ModelDecoder;
use orm_core::unit_of_work::{Cached, ChildRelation, Handle, UnitOfWork};
use orm_core::{Model, NewModel, Relation, Select};

use crate::{Database, Transaction, TxOptions};

impl Database {
    /// Open a [`Session`]: a unit of work with an identity map, in a transaction begun at
    /// once (so that a connection problem shows here).
    pub async fn session(&self) -> Result<Session> {
        self.session_with(TxOptions::new()).await
    }

    /// Open a [`Session`] whose transactions are begun with `options` (isolation, read-only,
    /// timeouts; retries do not apply: a session cannot run its work again).
    ///
    /// ```
    /// # use orm::prelude::*;
    /// # #[derive(Model, Debug, Clone)]
    /// # #[orm(table = "users")]
    /// # pub struct User {
    /// #     #[orm(primary_key)]
    /// #     pub id: i64,
    /// #     #[orm(unique)]
    /// #     pub email: String,
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let db = Database::connect("sqlite::memory:").await?;
    /// # db.create_all(&schema![User]).await?;
    /// let mut s = db.session_with(TxOptions::new().read_only()).await?;
    /// s.add(NewUser { email: "ann@example.com".into() });
    /// assert_eq!(s.flush().await.unwrap_err().kind(), ErrorKind::ReadOnly);
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    pub async fn session_with(&self, options: TxOptions) -> Result<Session> {
        let tx = self.begin_with(options.clone()).await?;
        Ok(Session {
            db: self.clone(),
            options,
            tx: Some(tx),
            work: UnitOfWork::new(),
            unsettled: false,
        })
    }
}

/// A unit of work, in the style of SQLAlchemy's `Session`: load objects, change them, add new
/// ones and delete others, then [`flush`](Session::flush) writes everything in one go, in
/// foreign-key order, inside the session's transaction; [`commit`](Session::commit) flushes
/// and commits.
///
/// Objects live in the session, which returns a [`Handle`] for each: a small `Copy` value to
/// read (`session.read(h)?`, `session[h]`) and change (`session.write(h)?`, `session[h].x =
/// ..`) the object with.
///
/// - **Identity map.** Loading the same key twice gives the same handle: [`get`](Session::get)
///   and [`find`](Session::find) answer from the map without a statement when they can, and
///   a row that [`load`](Session::load) reads for an object already in the session gives that
///   object, which keeps its state in the session (changes not flushed yet included).
/// - **Adding.** [`add`](Session::add) takes any `New<Model>` (or `.with_key(..)` of one);
///   [`add_child`](Session::add_child) adds a row through a `has_many` / `has_one`
///   relationship of a parent, pending or loaded: its foreign key is set from the parent's
///   key when the flush inserts it, after the parent. Until flushed an added object is
///   *pending*: reading it is an error that says to call `flush()`. `add_child` to a parent
///   deleted in the session is refused at once; deleting the parent of a pending child is an
///   error at the next flush, naming both.
/// - **Flush.** One savepoint of the transaction: inserts first, table by table in
///   foreign-key order (a child added through a pending parent of the same table waits for
///   it), each table's rows in multi-row `INSERT .. RETURNING` statements under the bind
///   limit; then updates of the columns that changed (with `updated_at` bumped); then deletes,
///   children before parents (rows of one table by the keys they reference). Tables that
///   reference each other in a cycle are written in the order the session first met them,
///   children added through `add_child` still after their parents. Keys, defaults and
///   timestamps the database generated are read back into the objects. A flush that fails
///   rolls back to its savepoint: the database,
///   the transaction and every object are as they were before it (pending objects still
///   pending), so fix the cause and flush again. A flush whose future is dropped (a timeout
///   around it) leaves the session as it was too, unless it was dropped while releasing its
///   savepoint: then whether its writes are in the transaction is unknown, and the next use
///   of the session rolls back and returns `ErrorKind::TransactionAborted`.
/// - **Deleting.** [`delete`](Session::delete) marks a loaded object for the next flush (a
///   pending one is simply dropped); its handle then reads as deleted. A soft-deletable
///   model (`#[orm(soft_delete)]`) is soft-deleted, as `model.delete(&db)` does.
/// - **Versions.** Updates and deletes of a versioned model (`#[orm(version)]`) expect the
///   version the session holds and read the bumped one back; a row someone else changed
///   fails the flush with `ErrorKind::StaleObject`. [`refresh`](Session::refresh) reads the
///   object again (its changes dropped) to start over.
/// - **Ending.** [`commit`](Session::commit) flushes and commits; the objects stay, with their
///   stored state, and the next use of the session begins a new transaction.
///   [`rollback`](Session::rollback) rolls back and forgets every object (their handles are
///   refused from then on). Dropping a session rolls its transaction back.
///
/// Queries through [`transaction`](Session::transaction) see what was flushed, not pending
/// objects: flush first. Statements run there (`Model::update()`, raw SQL) do not change the
/// session's objects. Handles are refused by other sessions (`ErrorKind::InvalidStatement`).
/// On an in-memory SQLite database, the session's transaction holds the one connection:
/// statements through `&db` in the same task fail with `ConnectionHeld` until it commits.
///
/// ```
/// use orm::prelude::*;
///
/// #[derive(Model, Debug, Clone)]
/// #[orm(table = "authors")]
/// pub struct Author {
///     #[orm(primary_key)]
///     pub id: i64,
///     pub name: String,
///     #[orm(created_at)]
///     pub created_at: DateTime<Utc>,
///     #[orm(has_many(foreign_key = "author_id"))]
///     pub books: HasMany<Book>,
/// }
///
/// #[derive(Model, Debug, Clone)]
/// #[orm(table = "books")]
/// pub struct Book {
///     #[orm(primary_key)]
///     pub id: i64,
///     #[orm(references = Author)]
///     pub author_id: i64,
///     pub title: String,
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let db = Database::connect("sqlite::memory:").await?;
/// db.create_all(&schema![Author, Book]).await?;
///
/// let mut s = db.session().await?;
/// let ann = s.add(NewAuthor { name: "Ann".into() });
/// let one = s.add_child(ann, Author::books, NewBook { title: "One".into(), ..Default::default() })?;
/// s.add_child(ann, Author::books, NewBook { title: "Two".into(), ..Default::default() })?;
/// assert!(s.read(one).is_err(), "pending until flushed");
///
/// let (flushed, log) = orm::guard::count_statements(s.flush()).await;
/// flushed?;
/// log.assert_count(2); // one INSERT for the author, one for both books
/// assert_eq!(s[one].author_id, s[ann].id); // the generated key, filled in
///
/// // The identity map: the same key is the same object, and costs no statement.
/// let again = s.get::<Author>(s[ann].id).await?;
/// assert_eq!(again, ann);
///
/// s[one].title = "One, revised".into();
/// s.commit().await?; // UPDATE books SET title = .. WHERE id = ..: that column only
///
/// let two = s.load(Book::query().filter(Book::title.eq("Two"))).await?[0];
/// s.delete(ann)?;
/// s.delete(one)?;
/// s.delete(two)?;
/// s.commit().await?; // the books first, then their author
/// assert_eq!(Author::query().count(&db).await?, 0);
/// # Ok::<(), orm::Error>(()) }).unwrap();
/// ```
pub struct Session {
    db: Database,
    options: TxOptions,
    /// `None` after a commit or a rollback, until the session is used again.
    tx: Option<Transaction>,
    work: UnitOfWork,
    /// A flush was dropped while its savepoint was being released: its writes may be in the
    /// transaction while the objects do not show them, so the transaction must not go on.
    unsettled: bool,
}

/// What a session uses while it works in its transaction.
struct Open<'s> {
    tx: &'s Transaction,
    work: &'s mut UnitOfWork,
    unsettled: &'s mut bool,
}

impl Session {
    /// After a flush dropped while its savepoint was being released (see `unsettled`): roll
    /// back, forget the objects (as [`Session::rollback`]) and say so.
    async fn settle(&mut self) -> Result<()> {
        if !self.unsettled {
            return Ok(());
        }
        self.unsettled = false;
        self.work.clear();
        if let Some(tx) = self.tx.take()
            && let Err(rollback_error) = tx.rollback().await
        {
            tracing::warn!(target: "orm::sql", %rollback_error, "rolling back an unsettled session failed");
        }
        Err(Error::TransactionAborted {
            reason: "a flush of this session was cancelled while its savepoint was being \
                     released, so whether its writes are in the transaction is unknown; the \
                     session rolled back and forgot its objects"
                .into(),
            cause: None,
        })
    }

    /// The transaction (begun now if the last one ended) and the objects.
    async fn open(&mut self) -> Result<Open<'_>> {
        self.settle().await?;
        let tx = match &mut self.tx {
            Some(tx) => tx,
            ended => ended.insert(self.db.begin_with(self.options.clone()).await?),
        };
        Ok(Open {
            tx,
            work: &mut self.work,
            unsettled: &mut self.unsettled,
        })
    }

    /// The session's transaction (begun now if the last one ended), to run any statement in
    /// it: `Model::query()..all(s.transaction().await?)`. It sees what the session flushed;
    /// what it changes is not reflected in the session's objects.
    ///
    /// ```
    /// # use orm::prelude::*;
    /// # #[derive(Model, Debug, Clone)]
    /// # #[orm(table = "users")]
    /// # pub struct User {
    /// #     #[orm(primary_key)]
    /// #     pub id: i64,
    /// #     #[orm(unique)]
    /// #     pub email: String,
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let db = Database::connect("sqlite::memory:").await?;
    /// # db.create_all(&schema![User]).await?;
    /// let mut s = db.session().await?;
    /// s.add(NewUser { email: "ann@example.com".into() });
    /// assert_eq!(User::query().count(s.transaction().await?).await?, 0, "pending");
    /// s.flush().await?;
    /// assert_eq!(User::query().count(s.transaction().await?).await?, 1);
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    pub async fn transaction(&mut self) -> Result<&Transaction> {
        Ok(self.open().await?.tx)
    }

    /// The object of `M` with primary key `key`: from the session when it holds it (no
    /// statement, as SQLAlchemy's `Session.get`), else read in the session's transaction.
    /// [`ErrorKind::NotFound`](crate::ErrorKind) when there is no such row, or its object was
    /// deleted in this session.
    pub async fn get<M: Model>(&mut self, key: M::Key) -> Result<Handle<M>> {
        self.find(key).await?.ok_or(Error::NotFound {
            table: M::TABLE.name,
        })
    }

    /// As [`Session::get`], with `None` when there is no such row.
    pub async fn find<M: Model>(&mut self, key: M::Key) -> Result<Option<Handle<M>>> {
        // Answered from the identity map without beginning a transaction.
        match self.work.lookup::<M>(&key) {
            Cached::Loaded(handle) => return Ok(Some(handle)),
            Cached::Deleted => return Ok(None),
            Cached::Absent => {}
        }
        let open = self.open().await?;
        open.work.find(open.tx, key).await
    }

    /// Run `query` in the session's transaction and return a handle per row. A row whose
    /// object the session already holds gives that object's handle, and the object keeps
    /// its state in the session (its changes not flushed yet are not overwritten by the
    /// row); rows of objects deleted in the session are left out. Relationships loaded with
    /// `.with(..)` stay in the objects that are new to the session.
    ///
    /// ```
    /// # use orm::prelude::*;
    /// # #[derive(Model, Debug, Clone)]
    /// # #[orm(table = "users")]
    /// # pub struct User {
    /// #     #[orm(primary_key)]
    /// #     pub id: i64,
    /// #     #[orm(unique)]
    /// #     pub email: String,
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let db = Database::connect("sqlite::memory:").await?;
    /// # db.create_all(&schema![User]).await?;
    /// NewUser { email: "ann@example.com".into() }.insert(&db).await?;
    /// let mut s = db.session().await?;
    /// let ann = s.get::<User>(1).await?;
    /// s[ann].email = "ann@example.org".into(); // not flushed
    /// let users = s.load(User::query()).await?;
    /// assert_eq!(users, [ann]);
    /// assert_eq!(s[ann].email, "ann@example.org", "the session's state is kept");
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    pub async fn load<M: Model, G>(
        &mut self,
        query: Select<M, ModelDecoder<M>, G>,
    ) -> Result<Vec<Handle<M>>> {
        let open = self.open().await?;
        open.work.load(open.tx, query).await
    }

    /// Read the object of `handle` again in the session's transaction, dropping its changes
    /// not flushed yet: how to start over after a flush failed with
    /// [`ErrorKind::StaleObject`](crate::ErrorKind) (someone else changed the row). When the
    /// row is gone the object leaves the session and the error is `NotFound`.
    pub async fn refresh<M: Model>(&mut self, handle: Handle<M>) -> Result<()> {
        let open = self.open().await?;
        open.work.refresh(open.tx, handle).await
    }

    /// The object of `handle`. An error ([`ErrorKind::InvalidStatement`](crate::ErrorKind))
    /// when it is pending (call [`Session::flush`] first), was deleted, or the handle is of
    /// another session or from before a rollback.
    pub fn read<M: Model>(&self, handle: Handle<M>) -> Result<&M> {
        self.work.read(handle)
    }

    /// The object of `handle`, to change: the next flush writes the columns whose values
    /// changed. Errors as [`Session::read`].
    pub fn write<M: Model>(&mut self, handle: Handle<M>) -> Result<&mut M> {
        self.work.write(handle)
    }

    /// True while the object of `handle` is pending (added, not flushed yet).
    pub fn is_pending<M: Model>(&self, handle: Handle<M>) -> Result<bool> {
        self.work.is_pending(handle)
    }

    /// Add a new object (any `New<Model>`, or one `.with_key(..)`): inserted by the next
    /// flush, pending until then.
    pub fn add<N: NewModel + 'static>(&mut self, new: N) -> Handle<N::Model> {
        self.work.add(new)
    }

    /// Add a new object as a child of `parent` (pending or loaded) through `relation`, one
    /// of the parent's `has_many` / `has_one` relationships (`User::posts`): the flush
    /// inserts it after the parent, with its foreign key set to the parent's key (whatever
    /// `new` held in that field). An error when `parent` was deleted or is not of this
    /// session.
    pub fn add_child<P, F, N>(
        &mut self,
        parent: Handle<P>,
        relation: Relation<P, F>,
        new: N,
    ) -> Result<Handle<F::Target>>
    where
        P: Model,
        F: ChildRelation,
        N: NewModel<Model = F::Target> + 'static,
    {
        self.work.add_child(parent, relation, new)
    }

    /// Delete the object of `handle`: a loaded one by the next flush (children before
    /// parents), a pending one at once (it was never inserted). Its handle then reads as
    /// deleted.
    pub fn delete<M: Model>(&mut self, handle: Handle<M>) -> Result<()> {
        self.work.delete(handle)
    }

    /// True when a flush would write something.
    pub fn has_changes(&self) -> bool {
        self.work.has_changes()
    }

    /// Write every change (see [`Session`]) in a savepoint of the session's transaction.
    /// Sends nothing when nothing changed. On an error the savepoint is rolled back and the
    /// session is as it was before the call.
    ///
    /// ```
    /// # use orm::prelude::*;
    /// # #[derive(Model, Debug, Clone)]
    /// # #[orm(table = "users")]
    /// # pub struct User {
    /// #     #[orm(primary_key)]
    /// #     pub id: i64,
    /// #     #[orm(unique)]
    /// #     pub email: String,
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let db = Database::connect("sqlite::memory:").await?;
    /// # db.create_all(&schema![User]).await?;
    /// NewUser { email: "taken@example.com".into() }.insert(&db).await?;
    /// let mut s = db.session().await?;
    /// let ann = s.add(NewUser { email: "ann@example.com".into() });
    /// let dup = s.add(NewUser { email: "taken@example.com".into() });
    /// assert_eq!(s.flush().await.unwrap_err().kind(), ErrorKind::UniqueViolation);
    /// assert!(s.is_pending(ann)?, "nothing changed in the session");
    /// s.delete(dup)?; // drop the offending object, and flush again
    /// s.flush().await?;
    /// assert!(!s.is_pending(ann)?);
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    pub async fn flush(&mut self) -> Result<()> {
        self.settle().await?;
        if !self.work.has_changes() {
            return Ok(());
        }
        let plan = self.work.plan()?;
        let Open {
            tx,
            work,
            unsettled,
        } = self.open().await?;
        // Dropped before the release, the savepoint rolls back: nothing happened.
        let savepoint = tx.begin().await?;
        match work.execute(&plan, &savepoint).await {
            Ok(flushed) => {
                // Dropped during the release, the writes may have become the transaction's
                // while the objects do not show them (see `settle`). A release that fails
                // leaves the same doubt.
                *unsettled = true;
                savepoint.commit().await?;
                work.apply(flushed);
                *unsettled = false;
                Ok(())
            }
            Err(error) => {
                if let Err(rollback_error) = savepoint.rollback().await {
                    tracing::warn!(target: "orm::sql", %rollback_error, "rolling back a failed flush failed");
                }
                Err(error)
            }
        }
    }

    /// Flush, then commit the transaction. The objects stay in the session with their
    /// stored state; using the session again begins a new transaction. A flush that fails
    /// leaves the transaction open (fix the cause and commit again, or roll back); a
    /// `COMMIT` that fails (see [`Transaction::commit`]) ends it, and the session forgets
    /// its objects as [`Session::rollback`] does.
    pub async fn commit(&mut self) -> Result<()> {
        self.flush().await?;
        let Some(tx) = self.tx.take() else {
            return Ok(());
        };
        tx.commit().await.inspect_err(|_| self.work.clear())
    }

    /// Roll the transaction back and forget every object: their handles are refused from
    /// now on. Using the session again begins a new transaction.
    ///
    /// ```
    /// # use orm::prelude::*;
    /// # #[derive(Model, Debug, Clone)]
    /// # #[orm(table = "users")]
    /// # pub struct User {
    /// #     #[orm(primary_key)]
    /// #     pub id: i64,
    /// #     #[orm(unique)]
    /// #     pub email: String,
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let db = Database::connect("sqlite::memory:").await?;
    /// # db.create_all(&schema![User]).await?;
    /// let mut s = db.session().await?;
    /// let ann = s.add(NewUser { email: "ann@example.com".into() });
    /// s.flush().await?;
    /// s.rollback().await?;
    /// assert_eq!(s.read(ann).unwrap_err().kind(), ErrorKind::InvalidStatement);
    /// assert_eq!(User::query().count(&db).await?, 0);
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    pub async fn rollback(&mut self) -> Result<()> {
        self.unsettled = false;
        self.work.clear();
        match self.tx.take() {
            Some(tx) => tx.rollback().await,
            None => Ok(()),
        }
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("work", &self.work)
            .field("in_transaction", &self.tx.is_some())
            .field("unsettled", &self.unsettled)
            .finish()
    }
}

/// `session[handle]`: the object, as [`Session::read`] gives it.
///
/// # Panics
///
/// Where [`Session::read`] returns an error (a pending or deleted object, a handle of
/// another session), with its message.
impl<M: Model> Index<Handle<M>> for Session {
    type Output = M;

    fn index(&self, handle: Handle<M>) -> &M {
        self.read(handle).unwrap_or_else(|error| panic!("{error}"))
    }
}

/// `session[handle].field = ..`: the object, as [`Session::write`] gives it.
///
/// # Panics
///
/// As [`Index`].
impl<M: Model> IndexMut<Handle<M>> for Session {
    fn index_mut(&mut self, handle: Handle<M>) -> &mut M {
        self.write(handle).unwrap_or_else(|error| panic!("{error}"))
    }
}
