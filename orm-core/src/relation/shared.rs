//! Loaded relationship data behind a type-erased `Arc`.
//!
//! A relationship field holds the rows of *another* model. Held as `Arc<Vec<T>>`, the field
//! would make the compiler prove `Send`/`Sync` of a model by walking every model it is related
//! to, and theirs, to any depth (a chain of ten models overflowed the recursion limit). Held
//! as [`Shared<T>`], the field is `Send + Sync` by itself, so each model's auto traits are
//! proven from its own fields only: build cost stays linear in the number of models.

use std::any::Any;
use std::marker::PhantomData;
use std::sync::Arc;

/// An `Arc<T>` whose type is known to the field but not to the auto-trait checker.
pub(crate) struct Shared<T> {
    any: Arc<dyn Any + Send + Sync>,
    _type: PhantomData<fn() -> T>,
}

impl<T: Send + Sync + 'static> Shared<T> {
    /// Share `value`.
    pub(crate) fn new(value: Arc<T>) -> Self {
        Shared {
            any: value,
            _type: PhantomData,
        }
    }

    /// The value.
    pub(crate) fn get(&self) -> &T {
        // `new` is the only constructor, so the value is always a `T`.
        self.any.downcast_ref::<T>().expect("Shared<T> holds a T")
    }

    /// The value as the `Arc` it was shared as.
    pub(crate) fn arc(&self) -> Arc<T> {
        Arc::clone(&self.any)
            .downcast::<T>()
            .unwrap_or_else(|_| unreachable!("Shared<T> holds a T"))
    }

    /// The value, to change: cloned first when it is shared with other rows.
    pub(crate) fn make_mut(&mut self) -> &mut T
    where
        T: Clone,
    {
        if Arc::get_mut(&mut self.any).is_none() {
            self.any = Arc::new(self.get().clone());
        }
        Arc::get_mut(&mut self.any)
            .and_then(|any| any.downcast_mut::<T>())
            .expect("a value just made unique is a T")
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared {
            any: Arc::clone(&self.any),
            _type: PhantomData,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_until_changed() {
        let first = Shared::new(Arc::new(vec![1, 2]));
        let mut second = first.clone();
        assert!(Arc::ptr_eq(&first.arc(), &second.arc()));
        second.make_mut().push(3);
        assert_eq!(first.get(), &[1, 2]);
        assert_eq!(second.get(), &[1, 2, 3]);
        let mut only = Shared::new(Arc::new(String::from("a")));
        let before = Arc::as_ptr(&only.arc());
        only.make_mut().push('b');
        assert_eq!(only.get(), "ab");
        assert_eq!(
            Arc::as_ptr(&only.arc()),
            before,
            "a unique value is changed in place"
        );
    }
}
