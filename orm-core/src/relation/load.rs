//! Loading relationships by key: one statement per level for any number of parents.

use std::sync::Arc;

use super::eager::Loader;
use super::field::{Loaded, RelationField};
use super::key::KeyValue;
use super::key_index::KeyIndex;
use super::spec::{EagerItem, LoadSpec, Relation};
use super::{RelationKind, RelationMeta};
use crate::error::{Error, Result};
use crate::executor::{BoxFuture, DynExecutor, RowDecoder};
use crate::expr::{BinaryOp, Expr, Ordering, WindowSpec};
use crate::meta::TableMeta;
use crate::model::Model;
use crate::render;
use crate::selection::ModelDecoder;
use crate::statement::{DeletedRows, Join, JoinKind, SelectStatement, Source};
use crate::value::{SqlType, Value};

/// Options of a relationship load: nested loads, filter, order and per-parent limit.
pub(crate) struct ChildOptions<C> {
    pub(crate) nested: Vec<Box<dyn EagerItem<C>>>,
    pub(crate) filter: Option<Expr>,
    pub(crate) order_by: Vec<Ordering>,
    pub(crate) limit: Option<u64>,
    /// Soft-deleted related rows are loaded too.
    pub(crate) with_deleted: bool,
}

impl<C> Default for ChildOptions<C> {
    fn default() -> Self {
        ChildOptions {
            nested: Vec::new(),
            filter: None,
            order_by: Vec::new(),
            limit: None,
            with_deleted: false,
        }
    }
}

/// Column names orm adds to window-limited loads.
const RANK: &str = "_orm_rank";
const PARENT_KEY: &str = "_orm_parent";

/// The statement loading related rows of a set of keys, built once; the key list is set
/// for each batch of parents.
struct ChildQuery {
    statement: SelectStatement,
    /// The key list sits in the derived table (window-limited loads).
    windowed: bool,
    /// Type of the matched key column.
    key_type: SqlType,
    /// Where a junction's parent key is read from each row (many-to-many).
    parent_key_column: Option<Expr>,
}

fn column(table: &'static str, name: &'static str) -> Expr {
    Expr::Column { table, name }
}

fn key_type_of(table: &TableMeta, name: &str) -> SqlType {
    table.column(name).map_or(SqlType::BigInt, |c| c.ty)
}

impl ChildQuery {
    fn build<C: Model>(meta: &'static RelationMeta, options: &mut ChildOptions<C>) -> Result<Self> {
        let target = C::TABLE;
        let target_key = target.primary_key.first().copied().unwrap_or("");
        let mut joins = Vec::new();
        let (key_expr, key_type, via_junction) = match meta.kind {
            RelationKind::ManyToMany => {
                let junction = meta.junction()?;
                joins.push(Join {
                    kind: JoinKind::Inner,
                    source: Source::model(junction.table, None),
                    on: Expr::binary(
                        BinaryOp::Eq,
                        column(junction.table.name, junction.target_column),
                        column(target.name, target_key),
                    ),
                });
                (
                    column(junction.table.name, junction.parent_column),
                    key_type_of(junction.table, junction.parent_column),
                    true,
                )
            }
            _ => {
                let name = meta.target_column();
                (column(target.name, name), key_type_of(target, name), false)
            }
        };
        let columns: Vec<Expr> = target
            .columns
            .iter()
            .map(|c| column(target.name, c.name))
            .collect();
        let key_list = Expr::InList {
            expr: Box::new(key_expr.clone()),
            list: Vec::new(),
            negated: false,
        };
        let filter = match options.filter.take() {
            Some(user) => Expr::binary(BinaryOp::And, key_list, user),
            None => key_list,
        };
        let mut order_by = std::mem::take(&mut options.order_by);
        if order_by.is_empty() {
            order_by.push(Ordering {
                expr: column(target.name, target_key),
                descending: false,
                nulls: None,
            });
        }
        let limit = match meta.kind {
            RelationKind::HasMany | RelationKind::ManyToMany => options.limit,
            _ => None,
        };
        let deleted = if options.with_deleted {
            DeletedRows::Included
        } else {
            DeletedRows::Hidden
        };
        let Some(limit) = limit else {
            let mut statement = SelectStatement::of_model(target, columns);
            statement.deleted = deleted;
            statement.joins = joins;
            statement.filter = Some(filter);
            statement.order_by = order_by;
            return Ok(ChildQuery {
                statement,
                windowed: false,
                key_type,
                parent_key_column: via_junction.then_some(key_expr),
            });
        };
        // Each parent's first `limit` rows: rank rows per parent in a derived table named
        // like the target table (so the order and nested joins still refer to it), keep the
        // top ranks.
        let mut inner_columns = columns.clone();
        if via_junction {
            inner_columns.push(Expr::Label {
                expr: Box::new(key_expr.clone()),
                name: PARENT_KEY,
            });
        }
        inner_columns.push(Expr::Label {
            expr: Box::new(Expr::Window {
                function: Box::new(crate::Expression::into_expr(crate::functions::row_number())),
                window: Box::new(WindowSpec {
                    partition_by: vec![key_expr],
                    order_by: order_by.clone(),
                    ..WindowSpec::default()
                }),
            }),
            name: RANK,
        });
        let mut inner = SelectStatement::of_model(target, inner_columns);
        inner.deleted = deleted;
        inner.joins = joins;
        inner.filter = Some(filter);
        let mut statement = SelectStatement::from_source(
            Source::Subquery {
                query: Box::new(inner),
                alias: target.name,
            },
            columns,
        );
        statement.filter = Some(Expr::binary(
            BinaryOp::Le,
            column(target.name, RANK),
            Expr::Value(Value::I64(Some(i64::try_from(limit).unwrap_or(i64::MAX)))),
        ));
        statement.order_by = order_by;
        Ok(ChildQuery {
            statement,
            windowed: true,
            key_type,
            parent_key_column: via_junction.then(|| column(target.name, PARENT_KEY)),
        })
    }

    /// The statement for these keys.
    fn with_keys(&self, keys: &[KeyValue]) -> SelectStatement {
        let mut statement = self.statement.clone();
        let filtered = if self.windowed {
            match &mut statement.from {
                Source::Subquery { query, .. } => &mut **query,
                Source::Table { .. } => unreachable!("a windowed load reads a derived table"),
            }
        } else {
            &mut statement
        };
        let list = keys
            .iter()
            .map(|key| Expr::Value(key.to_value(self.key_type)))
            .collect();
        match &mut filtered.filter {
            Some(Expr::InList { list: slot, .. }) => *slot = list,
            Some(Expr::Binary { lhs, .. }) => {
                if let Expr::InList { list: slot, .. } = &mut **lhs {
                    *slot = list;
                }
            }
            _ => {}
        }
        statement
    }
}

/// Fetch the related rows of `keys` and hand each to `place` with the key it matched (read
/// from the junction for many-to-many, else from `key_of`), as the rows arrive. Returns the
/// loaders of the nested relationships, to run on the children once they are placed.
pub(crate) async fn fetch_children<C: Model>(
    meta: &'static RelationMeta,
    mut options: ChildOptions<C>,
    keys: &[KeyValue],
    key_of: Option<fn(&C) -> Option<KeyValue>>,
    db: &dyn DynExecutor,
    mut place: impl FnMut(Option<KeyValue>, C) + Send,
) -> Result<Vec<Box<dyn Loader<C>>>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = ChildQuery::build(meta, &mut options)?;
    let mut decoder = ModelDecoder::<C>::new();
    for item in options.nested {
        item.attach_to(&mut query.statement, decoder.eager_mut())
            .map_err(|message| Error::InvalidStatement { message })?;
    }
    let key_index = query.parent_key_column.take().map(|expr| {
        query.statement.columns.push(expr);
        query.statement.columns.len() - 1
    });
    let followups = decoder.take_followups();
    let dialect = db.dialect_dyn();
    // One statement whatever the number of keys: the key list is one parameter.
    let statement = render::select(dialect, &query.with_keys(keys))?;
    let key_type = query.key_type;
    db.fetch_each_dyn(statement, &mut |row| {
        let child = decoder.decode(row)?;
        let key = match key_index {
            Some(index) => KeyValue::read(row, index, key_type)?,
            None => key_of.and_then(|key_of| key_of(&child)),
        };
        place(key, child);
        Ok(())
    })
    .await?;
    Ok(followups)
}

/// Run the nested loaders of a level on its children.
async fn load_nested<'c, C: 'c>(
    loaders: Vec<Box<dyn Loader<C>>>,
    children: impl Iterator<Item = &'c mut C>,
    db: &dyn DynExecutor,
) -> Result<()> {
    if loaders.is_empty() {
        return Ok(());
    }
    let mut children: Vec<&mut C> = children.collect();
    for loader in loaders {
        loader
            .load(children.iter_mut().map(|child| &mut **child).collect(), db)
            .await?;
    }
    Ok(())
}

/// Children placed by their parent key's position as the rows arrive.
enum Placed<C> {
    /// Every child, per key (to-many).
    Many(Vec<Vec<C>>),
    /// The first child per key (to-one: the query's order picks it).
    One(Vec<Option<C>>),
}

impl<C> Placed<C> {
    fn new(to_many: bool, keys: usize) -> Self {
        if to_many {
            Placed::Many(std::iter::repeat_with(Vec::new).take(keys).collect())
        } else {
            Placed::One(std::iter::repeat_with(|| None).take(keys).collect())
        }
    }

    fn place(&mut self, position: usize, child: C) {
        match self {
            Placed::Many(groups) => groups[position].push(child),
            Placed::One(found) => {
                found[position].get_or_insert(child);
            }
        }
    }
}

/// Loads a relationship for a batch of parents with one statement.
pub(crate) struct SelectIn<P, F: RelationField> {
    rel: Relation<P, F>,
    options: ChildOptions<F::Target>,
}

impl<P, F: RelationField> SelectIn<P, F> {
    /// The loader of a checked spec (`LoadSpec::check`).
    pub(crate) fn new(spec: LoadSpec<P, F>) -> Self {
        SelectIn {
            rel: spec.rel,
            options: spec.options,
        }
    }

    async fn run(self, parents: Vec<&mut P>, db: &dyn DynExecutor) -> Result<()> {
        let SelectIn { rel, options } = self;
        let keys: Vec<Option<KeyValue>> = parents.iter().map(|p| (rel.parent_key)(p)).collect();
        let index = KeyIndex::new(&keys);
        let parents = parents
            .into_iter()
            .zip(keys)
            .zip(index.slots.iter().copied());
        let mut placed = Placed::new(rel.meta.kind.is_to_many(), index.distinct.len());
        let nested = fetch_children(
            rel.meta,
            options,
            &index.distinct,
            Some(rel.target_key),
            db,
            |key, child| {
                if let Some(position) = index.position(key.as_ref()) {
                    placed.place(position, child);
                }
            },
        )
        .await?;
        match placed {
            Placed::Many(mut groups) => {
                load_nested(nested, groups.iter_mut().flatten(), db).await?;
                let groups: Vec<Arc<Vec<F::Target>>> = groups.into_iter().map(Arc::new).collect();
                let empty = Arc::new(Vec::new());
                for ((parent, key), slot) in parents {
                    let children = slot.map_or(&empty, |slot| &groups[slot]).clone();
                    (rel.field)(parent).fill(key, Loaded::Many(children));
                }
            }
            Placed::One(mut found) => {
                load_nested(nested, found.iter_mut().flatten(), db).await?;
                let found: Vec<Option<Arc<F::Target>>> = found
                    .into_iter()
                    .map(|target| target.map(Arc::new))
                    .collect();
                for ((parent, key), slot) in parents {
                    let target = slot.and_then(|slot| found[slot].clone());
                    (rel.field)(parent).fill(key, Loaded::One(target));
                }
            }
        }
        Ok(())
    }
}

impl<P: Model, F: RelationField> Loader<P> for SelectIn<P, F> {
    fn load<'a>(
        self: Box<Self>,
        parents: Vec<&'a mut P>,
        db: &'a dyn DynExecutor,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.run(parents, db))
    }
}

/// The related rows of one parent whose matched key is `key` (on-demand loads).
pub(crate) async fn fetch_for_one<C: Model>(
    meta: &'static RelationMeta,
    key: Option<&KeyValue>,
    db: &dyn DynExecutor,
) -> Result<Vec<C>> {
    crate::guard::single_parent_load(meta)?;
    let Some(key) = key else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::new();
    let nested = fetch_children::<C>(
        meta,
        ChildOptions::default(),
        std::slice::from_ref(key),
        None,
        db,
        |_, child| rows.push(child),
    )
    .await?;
    load_nested(nested, rows.iter_mut(), db).await?;
    Ok(rows)
}
