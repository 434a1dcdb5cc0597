//! A small, fast, seeded random number generator: SplitMix64.
//!
//! Each client of a run draws from its own stream, seeded by [`Rng::for_client`] from the
//! run's seed, a stream number (one per endpoint) and the client's index, each mixed through
//! the SplitMix64 finalizer. Seeding clients `seed + index` instead would start every
//! stream one Weyl step from the next, so that client 1 replays client 0's draws shifted by
//! one: correlated clients hitting the same rows at the same moments.

/// The SplitMix64 increment (the golden ratio in 64 bits).
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 finalizer: a bijection of `u64` that spreads every input bit over the
/// output.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// SplitMix64: deterministic for a seed, so a run can be replayed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(mix(seed))
    }

    /// The generator of client `client` on stream `stream` of a run seeded with `run_seed`:
    /// the three are mixed, so that no two clients' streams are shifted copies of each other.
    pub fn for_client(run_seed: u64, stream: u64, client: usize) -> Self {
        let client = u64::try_from(client).unwrap_or(u64::MAX);
        Rng(mix(
            mix(mix(run_seed) ^ stream.wrapping_mul(GAMMA)) ^ mix(client)
        ))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GAMMA);
        mix(self.0)
    }

    /// A number in `0..n` (`n > 0`), by multiply-and-shift (no modulo bias worth the name).
    pub fn below(&mut self, n: u64) -> u64 {
        let wide = (u128::from(self.next_u64()) * u128::from(n)) >> 64;
        u64::try_from(wide).unwrap_or(0)
    }

    /// An index into a slice of length `len` (`len > 0`).
    pub fn index(&mut self, len: usize) -> usize {
        let n = u64::try_from(len).unwrap_or(u64::MAX);
        usize::try_from(self.below(n)).unwrap_or(0)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        let span = high.abs_diff(low).saturating_add(1);
        low.saturating_add_unsigned(self.below(span))
    }

    /// An element of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// True with probability `numerator / denominator`.
    pub fn chance(&mut self, numerator: u64, denominator: u64) -> bool {
        self.below(denominator) < numerator
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_stay_in_range_and_repeat_for_a_seed() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..10_000 {
            let x = a.between(-3, 5);
            assert!((-3..=5).contains(&x));
            assert_eq!(x, b.between(-3, 5));
            assert!(a.index(10) < 10);
            b.index(10);
        }
    }

    #[test]
    fn client_streams_are_not_shifted_copies() {
        let draws = |client| {
            let mut rng = Rng::for_client(1, 0, client);
            (0..64).map(|_| rng.next_u64()).collect::<Vec<_>>()
        };
        let (first, second) = (draws(0), draws(1));
        for value in &second {
            assert!(!first.contains(value), "client 1 replays client 0");
        }
    }
}
