//! Counting statements and catching N+1 loads.
//!
//! [`watch`] runs a block of async work in a scope that records every statement it sends
//! (on this task) and watches for relationships loaded one parent at a time — the N+1
//! pattern `for post in &mut posts { post.comments.load(&db).await? }`. Depending on
//! [`Watch`], the second such load of one relationship logs a `tracing` warning (target
//! `orm::n_plus_one`) or fails with [`Error::NPlusOne`] before sending. [`count_statements`]
//! is the test helper: it returns what the block sent, so a test can assert the number of
//! statements an eager load issues.
//!
//! The `orm` crate's documentation has a runnable example (relationships and statement counts).

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::relation::RelationMeta;
use crate::statement::Statement;
use crate::value::Value;

/// What to do about relationships loaded one parent at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NPlusOne {
    /// Nothing.
    Allow,
    /// Log a `tracing` warning (target `orm::n_plus_one`) once per relationship.
    Warn,
    /// Refuse the load with [`Error::NPlusOne`].
    Fail,
}

/// Options of a [`watch`] scope.
#[derive(Debug, Clone, Copy)]
pub struct Watch {
    n_plus_one: NPlusOne,
    single_loads: usize,
}

impl Default for Watch {
    fn default() -> Self {
        Watch {
            n_plus_one: NPlusOne::Warn,
            single_loads: 1,
        }
    }
}

impl Watch {
    /// Warn on the second single-parent load of one relationship.
    pub fn new() -> Self {
        Self::default()
    }

    /// Fail instead of warning (for tests and debug builds).
    pub fn fail(mut self) -> Self {
        self.n_plus_one = NPlusOne::Fail;
        self
    }

    /// Choose what an N+1 load does.
    pub fn on_n_plus_one(mut self, action: NPlusOne) -> Self {
        self.n_plus_one = action;
        self
    }

    /// How many single-parent loads of one relationship are fine before the guard acts
    /// (default 1).
    pub fn allow_single_loads(mut self, n: usize) -> Self {
        self.single_loads = n;
        self
    }
}

#[derive(Default)]
struct ScopeState {
    statements: Vec<String>,
    values_bound: Vec<usize>,
    single_loads: HashMap<String, usize>,
}

struct Scope {
    options: Watch,
    state: Mutex<ScopeState>,
    /// The enclosing scope, which records the statements of this one too.
    outer: Option<Arc<Scope>>,
}

tokio::task_local! {
    static SCOPE: Arc<Scope>;
}

/// The statements a [`watch`] scope sent, in order.
#[derive(Debug, Clone, Default)]
pub struct StatementLog {
    statements: Vec<String>,
    values_bound: Vec<usize>,
}

impl StatementLog {
    /// The number of statements.
    pub fn len(&self) -> usize {
        self.statements.len()
    }

    /// True when none was sent.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The SQL of each statement, in order.
    pub fn statements(&self) -> &[String] {
        &self.statements
    }

    /// How many values each statement bound, in order; a list bound as one parameter
    /// (`in_list`, relationship keys) counts its items.
    pub fn values_bound(&self) -> &[usize] {
        &self.values_bound
    }

    /// Each distinct SQL text with the number of times it ran, in order of first use.
    pub fn shapes(&self) -> Vec<(&str, usize)> {
        let mut shapes: Vec<(&str, usize)> = Vec::new();
        for sql in &self.statements {
            match shapes.iter_mut().find(|(shape, _)| *shape == sql) {
                Some((_, n)) => *n += 1,
                None => shapes.push((sql, 1)),
            }
        }
        shapes
    }

    /// Panic, listing the statements, unless exactly `expected` were sent.
    #[track_caller]
    pub fn assert_count(&self, expected: usize) {
        assert!(
            self.len() == expected,
            "expected {expected} statements, {} were sent:\n{self}",
            self.len()
        );
    }
}

impl fmt::Display for StatementLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, sql) in self.statements.iter().enumerate() {
            writeln!(f, "{:>3}. {sql}", i + 1)?;
        }
        Ok(())
    }
}

/// Run `work` in a scope that records its statements and watches for N+1 loads.
pub async fn watch<F: Future>(options: Watch, work: F) -> (F::Output, StatementLog) {
    let scope = Arc::new(Scope {
        options,
        state: Mutex::new(ScopeState::default()),
        outer: SCOPE.try_with(Arc::clone).ok(),
    });
    let output = SCOPE.scope(scope.clone(), work).await;
    let mut state = lock(&scope);
    let log = StatementLog {
        statements: std::mem::take(&mut state.statements),
        values_bound: std::mem::take(&mut state.values_bound),
    };
    drop(state);
    (output, log)
}

/// Run `work` and return the statements it sent (N+1 loads fail): the test helper. The log
/// holds the statements orm renders (queries, writes, DDL); the `BEGIN` / `COMMIT` /
/// `ROLLBACK` of transactions are not in it.
pub async fn count_statements<F: Future>(work: F) -> (F::Output, StatementLog) {
    watch(Watch::new().fail(), work).await
}

fn lock(scope: &Scope) -> std::sync::MutexGuard<'_, ScopeState> {
    scope
        .state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Record a statement about to be sent (called by the backends).
pub fn record_statement(statement: &Statement) {
    let _ = SCOPE.try_with(|scope| {
        let values = statement
            .binds
            .iter()
            .map(|value| match value {
                Value::List(items) => items.len(),
                _ => 1,
            })
            .sum();
        let mut scope = Some(scope);
        while let Some(current) = scope {
            let mut state = lock(current);
            state.statements.push(statement.sql.to_string());
            state.values_bound.push(values);
            drop(state);
            scope = current.outer.as_ref();
        }
    });
}

/// Called before a relationship is loaded for one parent: counts such loads per relationship
/// and warns or fails past the scope's allowance.
pub(crate) fn single_parent_load(meta: &RelationMeta) -> Result<()> {
    SCOPE
        .try_with(|scope| {
            let name = meta.qualified_name();
            let count = {
                let mut state = lock(scope);
                let count = state.single_loads.entry(name.clone()).or_insert(0);
                *count += 1;
                *count
            };
            if count <= scope.options.single_loads {
                return Ok(());
            }
            let error = Error::NPlusOne {
                relationship: name.clone(),
                count,
                fix: meta.fix(),
                fix_loaded: format!("{}::{}.load_for(&mut rows, &db)", meta.model, meta.name),
            };
            match scope.options.n_plus_one {
                NPlusOne::Allow => Ok(()),
                NPlusOne::Fail => Err(error),
                NPlusOne::Warn => {
                    if count == scope.options.single_loads + 1 {
                        tracing::warn!(target: "orm::n_plus_one", relationship = %name, "{error}");
                    }
                    Ok(())
                }
            }
        })
        .unwrap_or(Ok(()))
}
