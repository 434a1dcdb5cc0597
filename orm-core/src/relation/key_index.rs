//! The parents' keys of a relationship load, resolved once so that each child row finds its
//! parents' slot with one lookup.

use std::collections::HashMap;

use super::key::KeyValue;

/// The parents' keys: the distinct non-NULL keys in first-seen order (the keys the load
/// binds), each parent's position among them (`None` for a NULL key), and a lookup from a
/// child's key to that position.
pub(super) struct KeyIndex {
    pub(super) distinct: Vec<KeyValue>,
    pub(super) slots: Vec<Option<usize>>,
    lookup: Lookup,
}

/// How a key finds its position.
enum Lookup {
    /// Integer keys within a range at most a few times their number (ids, usually): a
    /// table indexed by `key - min`, no hashing.
    Dense { min: i64, table: Vec<u32> },
    /// Any other keys.
    Hashed(HashMap<KeyValue, usize>),
}

/// A slot of the dense table that no key holds.
const EMPTY: u32 = u32::MAX;

impl KeyIndex {
    pub(super) fn new(keys: &[Option<KeyValue>]) -> Self {
        dense_range(keys).map_or_else(
            || Self::hashed(keys),
            |(min, span)| Self::dense(keys, min, span),
        )
    }

    fn dense(keys: &[Option<KeyValue>], min: i64, span: usize) -> Self {
        let mut table = vec![EMPTY; span];
        let mut distinct = Vec::new();
        let slots = keys
            .iter()
            .map(|key| {
                let key = key.as_ref()?;
                // `dense_range` saw every key: all are integers within the table.
                let KeyValue::Int(value) = key else {
                    return None;
                };
                let entry = offset(*value, min).and_then(|at| table.get_mut(at))?;
                if *entry == EMPTY {
                    *entry = u32::try_from(distinct.len()).ok()?;
                    distinct.push(key.clone());
                }
                Some(*entry as usize)
            })
            .collect();
        KeyIndex {
            distinct,
            slots,
            lookup: Lookup::Dense { min, table },
        }
    }

    fn hashed(keys: &[Option<KeyValue>]) -> Self {
        let mut distinct = Vec::new();
        let mut positions = HashMap::with_capacity(keys.len());
        let slots = keys
            .iter()
            .map(|key| {
                let key = key.as_ref()?;
                let next = distinct.len();
                Some(*positions.entry(key.clone()).or_insert_with(|| {
                    distinct.push(key.clone());
                    next
                }))
            })
            .collect();
        KeyIndex {
            distinct,
            slots,
            lookup: Lookup::Hashed(positions),
        }
    }

    /// The position of a child's key among the parents' keys.
    pub(super) fn position(&self, key: Option<&KeyValue>) -> Option<usize> {
        let key = key?;
        match &self.lookup {
            Lookup::Dense { min, table } => {
                let KeyValue::Int(value) = key else {
                    return None;
                };
                let entry = *table.get(offset(*value, *min)?)?;
                (entry != EMPTY).then_some(entry as usize)
            }
            Lookup::Hashed(positions) => positions.get(key).copied(),
        }
    }
}

/// Where `value` sits in a table starting at `min`.
fn offset(value: i64, min: i64) -> Option<usize> {
    usize::try_from(value.checked_sub(min)?).ok()
}

/// `(min, span)` when every key is an integer (or NULL) and the keys span a range small
/// enough for a table: at most four entries per key plus a little.
fn dense_range(keys: &[Option<KeyValue>]) -> Option<(i64, usize)> {
    let mut bounds: Option<(i64, i64)> = None;
    for key in keys.iter().flatten() {
        let KeyValue::Int(value) = key else {
            return None;
        };
        bounds = Some(bounds.map_or((*value, *value), |(lo, hi)| {
            (lo.min(*value), hi.max(*value))
        }));
    }
    let (min, max) = bounds?;
    let span = usize::try_from(max.checked_sub(min)?.checked_add(1)?).ok()?;
    let limit = keys.len().saturating_mul(4).saturating_add(64);
    (span <= limit && span < EMPTY as usize).then_some((min, span))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(value: i64) -> Option<KeyValue> {
        Some(KeyValue::Int(value))
    }

    fn text(value: &str) -> Option<KeyValue> {
        Some(KeyValue::Text(value.into()))
    }

    /// Both lookups give the same positions: first-seen order, duplicates share a slot,
    /// NULL has none, keys outside the parents' find nothing.
    fn check(index: &KeyIndex, keys: &[Option<KeyValue>], absent: &[Option<KeyValue>]) {
        for (key, slot) in keys.iter().zip(&index.slots) {
            assert_eq!(index.position(key.as_ref()), *slot, "{key:?}");
            if let Some(slot) = slot {
                assert_eq!(Some(&index.distinct[*slot]), key.as_ref());
            }
        }
        for key in absent {
            assert_eq!(index.position(key.as_ref()), None, "{key:?}");
        }
    }

    #[test]
    fn dense_integer_keys_index_a_table() {
        let keys = [int(12), int(10), None, int(12), int(-3)];
        let index = KeyIndex::new(&keys);
        assert!(matches!(index.lookup, Lookup::Dense { min: -3, .. }));
        assert_eq!(
            index.distinct,
            vec![KeyValue::Int(12), KeyValue::Int(10), KeyValue::Int(-3)]
        );
        assert_eq!(index.slots, vec![Some(0), Some(1), None, Some(0), Some(2)]);
        check(
            &index,
            &keys,
            &[
                int(11),
                int(-4),
                int(13),
                int(i64::MIN),
                int(i64::MAX),
                text("12"),
                None,
            ],
        );
    }

    #[test]
    fn sparse_or_text_keys_are_hashed() {
        let sparse = [int(1), int(i64::MAX), int(1), int(i64::MIN)];
        let index = KeyIndex::new(&sparse);
        assert!(matches!(index.lookup, Lookup::Hashed(_)));
        assert_eq!(index.slots, vec![Some(0), Some(1), Some(0), Some(2)]);
        check(&index, &sparse, &[int(2), int(0)]);

        let mixed = [text("a"), text("b"), None, text("a")];
        let index = KeyIndex::new(&mixed);
        assert!(matches!(index.lookup, Lookup::Hashed(_)));
        assert_eq!(index.slots, vec![Some(0), Some(1), None, Some(0)]);
        check(&index, &mixed, &[text("c"), int(1)]);
    }

    #[test]
    fn no_keys_or_only_nulls() {
        let index = KeyIndex::new(&[None, None]);
        assert!(index.distinct.is_empty());
        assert_eq!(index.slots, vec![None, None]);
        assert_eq!(index.position(Some(&KeyValue::Int(0))), None);
    }
}
