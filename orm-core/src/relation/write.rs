//! Writing through relationships: creating children through their parent, linking and
//! unlinking many-to-many pairs, and removing junction rows when a parent is deleted.

use std::sync::Arc;

use super::field::{HasMany, HasOne, Loaded, ManyToMany, RelationField};
use super::key::KeyValue;
use super::{Junction, RelationMeta};
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::expr::{BinaryOp, Expr};
use crate::model::{Model, NewModel};
use crate::render;
use crate::select::model_columns;
use crate::selection::ModelDecoder;
use crate::statement::{DeleteStatement, InsertStatement, SelectStatement, Statement, WriteTarget};
use crate::value::Value;

fn column_eq(table: &'static str, name: &'static str, value: Value) -> Expr {
    Expr::binary(
        BinaryOp::Eq,
        Expr::Column { table, name },
        Expr::Value(value),
    )
}

fn junction_value(junction: &Junction, column: &'static str, value: Value) -> Value {
    match junction.table.column(column) {
        Some(meta) => value.conform(meta.ty),
        None => value,
    }
}

/// Insert `new` as a row of `T` whose foreign key of relationship `meta` holds the parent's
/// `key` (whatever `new` held there), and return it as stored.
async fn insert_child<T, N, E>(
    meta: &'static RelationMeta,
    key: Option<&KeyValue>,
    db: E,
    new: N,
) -> Result<T>
where
    T: Model,
    N: NewModel<Model = T>,
    E: Executor,
{
    let foreign_key = meta.target_column();
    let key = key.ok_or_else(|| Error::InvalidStatement {
        message: format!("{}: the parent row has no key", meta.qualified_name()),
    })?;
    let new = new.hook_before_insert()?.unwrap_or(new);
    let (columns, mut values) = crate::crud::row_columns_values(&new);
    let Some(index) = columns.iter().position(|c| *c == foreign_key) else {
        return Err(Error::InvalidStatement {
            message: format!(
                "{}: `{foreign_key}` is not a column the New{} struct inserts",
                meta.qualified_name(),
                T::TABLE.name
            ),
        });
    };
    let ty = T::TABLE
        .column(foreign_key)
        .map_or(crate::value::SqlType::BigInt, |c| c.ty);
    values[index] = key.to_value(ty).conform(ty);
    let target = WriteTarget::insert(T::TABLE, &columns, 1, &[]);
    let statement = render::insert(
        db.dialect(),
        InsertStatement {
            returning: model_columns::<T>(),
            ..InsertStatement::new(T::TABLE.name, columns, values)
        },
    )?
    .writing(target);
    if let Some(advance) = crate::crud::advance_past_keys::<T>(db.dialect(), &new.explicit_key()) {
        db.execute(advance).await?;
    }
    db.fetch_optional(statement, ModelDecoder::<T>::new())
        .await?
        .ok_or(Error::NotFound {
            table: T::TABLE.name,
        })
}

impl<T: Model + Clone> HasMany<T> {
    /// Insert `new` as a child of this row (its foreign key set to this row's key, whatever
    /// `new` held) and return it as stored. A loaded list gets the new row appended.
    pub async fn create<N, E>(&mut self, db: E, new: N) -> Result<T>
    where
        N: NewModel<Model = T>,
        E: Executor,
    {
        let meta = self.row_link().require_meta()?;
        let row = insert_child(meta, self.row_link().key(), db, new).await?;
        if let Some(items) = self.items_mut() {
            items.push(row.clone());
        }
        Ok(row)
    }
}

impl<T: Model + Clone> HasOne<T> {
    /// Insert `new` as this row's one child (its foreign key set to this row's key, whatever
    /// `new` held) and return it as stored; the field then holds it, loaded. A unique foreign
    /// key makes a second child a [`crate::ErrorKind::UniqueViolation`], nothing written.
    pub async fn create<N, E>(&mut self, db: E, new: N) -> Result<T>
    where
        N: NewModel<Model = T>,
        E: Executor,
    {
        let meta = self.row_link().require_meta()?;
        let key = self.row_link().key().cloned();
        let row = insert_child(meta, key.as_ref(), db, new).await?;
        self.fill(key, Loaded::One(Some(Arc::new(row.clone()))));
        Ok(row)
    }
}

impl<T: Model + Clone> ManyToMany<T> {
    fn junction_and_key(&self) -> Result<(&'static RelationMeta, Junction, Value)> {
        let meta = self.row_link().require_meta()?;
        let junction = meta.junction()?;
        let key = self
            .row_link()
            .key()
            .ok_or_else(|| Error::InvalidStatement {
                message: format!("{}: the parent row has no key", meta.qualified_name()),
            })?;
        let ty = junction
            .table
            .column(junction.parent_column)
            .map_or(crate::value::SqlType::BigInt, |c| c.ty);
        Ok((meta, junction, key.to_value(ty)))
    }

    fn target_value(junction: &Junction, target: &T) -> Result<Value> {
        let mut values = T::key_values(&target.key());
        match (values.len(), values.pop()) {
            (1, Some(value)) => Ok(junction_value(junction, junction.target_column, value)),
            _ => Err(Error::InvalidStatement {
                message: format!("`{}` needs a single-column key to be linked", T::TABLE.name),
            }),
        }
    }

    /// Link `target` to this row: insert the junction row. A loaded list gets `target`
    /// appended. Linking a pair twice is a unique violation when the junction's key is the
    /// pair (as it should be).
    pub async fn link<E: Executor>(&mut self, db: E, target: &T) -> Result<()> {
        let (_, junction, key) = self.junction_and_key()?;
        let target_value = Self::target_value(&junction, target)?;
        let columns = vec![junction.parent_column, junction.target_column];
        let written = WriteTarget::insert(junction.table, &columns, 1, &[]);
        let statement = render::insert(
            db.dialect(),
            InsertStatement::new(junction.table.name, columns, vec![key, target_value]),
        )?
        .writing(written);
        db.execute(statement).await?;
        if let Some(items) = self.items_mut() {
            items.push(target.clone());
        }
        Ok(())
    }

    /// Unlink `target` from this row: delete the junction row. Returns false when they were
    /// not linked. A loaded list loses `target`.
    pub async fn unlink<E: Executor>(&mut self, db: E, target: &T) -> Result<bool> {
        let (_, junction, key) = self.junction_and_key()?;
        let target_value = Self::target_value(&junction, target)?;
        let table = junction.table.name;
        let delete = DeleteStatement {
            table,
            filter: Some(Expr::binary(
                BinaryOp::And,
                column_eq(table, junction.parent_column, key),
                column_eq(table, junction.target_column, target_value),
            )),
            returning: Vec::new(),
        };
        let statement = render::delete(db.dialect(), &delete)?
            .writing(WriteTarget::delete(junction.table, delete.filter));
        let removed = db.execute(statement).await? > 0;
        if let Some(items) = self.items_mut() {
            let target_key = T::key_values(&target.key());
            items.retain(|item| T::key_values(&item.key()) != target_key);
        }
        Ok(removed)
    }
}

/// The statements that remove junction rows of `M`'s many-to-many relationships for the rows
/// matching `filter`, where the database would not (no `ON DELETE CASCADE`): run them before
/// the `DELETE` of those rows.
pub(crate) fn junction_cleanup<M: Model>(
    dialect: &dyn crate::Dialect,
    filter: Option<&Expr>,
) -> Result<Vec<Statement>> {
    let table = M::TABLE;
    let Some(key) = table.primary_key.first().copied() else {
        return Ok(Vec::new());
    };
    let mut statements = Vec::new();
    let mut seen: Vec<&'static str> = Vec::new();
    for relation in table.relations {
        let Some(junction) = relation.junction_needs_cleanup()? else {
            continue;
        };
        if seen.contains(&junction.table.name) {
            continue;
        }
        seen.push(junction.table.name);
        let mut parents = SelectStatement::new(
            table.name,
            vec![Expr::Column {
                table: table.name,
                name: key,
            }],
        );
        parents.filter = filter.cloned();
        let doomed = Expr::InSubquery {
            expr: Box::new(Expr::Column {
                table: junction.table.name,
                name: junction.parent_column,
            }),
            query: Box::new(parents),
            negated: false,
        };
        let delete = DeleteStatement {
            table: junction.table.name,
            filter: Some(doomed),
            returning: Vec::new(),
        };
        statements.push(
            render::delete(dialect, &delete)?
                .writing(WriteTarget::delete(junction.table, delete.filter)),
        );
    }
    Ok(statements)
}
