//! Exact decimal arithmetic with PostgreSQL's `numeric` rules, for the SQL functions orm
//! registers on every SQLite connection ([`crate::functions`]).
//!
//! SQLite stores a `NUMERIC(p, s)` value as the integer `value * 10^s`. Where an expression
//! mixes scales, multiplies, divides or averages, SQLite's own arithmetic would round an
//! operand or switch silently to floating point; orm renders those expressions as calls to
//! its functions instead, which compute here, exactly, and fail on overflow. A result whose
//! scale is known when the query is built (a sum, a product, a rounded value) comes back as a
//! scaled integer; a quotient or an average, whose scale PostgreSQL picks from the values,
//! comes back as exact decimal text.

use std::cmp::Ordering;

/// The largest scale orm's decimal arithmetic carries (as `rust_decimal`).
const MAX_SCALE: u32 = 28;

/// An exact decimal: `mantissa * 10^-scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Num {
    pub mantissa: i128,
    pub scale: u32,
}

/// Why a decimal computation failed; the text is the SQL error message.
pub(crate) type Failure = String;

pub(crate) fn overflow() -> Failure {
    "numeric overflow: the exact result does not fit orm's decimal arithmetic on SQLite \
     (a scaled 64-bit integer)"
        .to_owned()
}

fn pow10(exponent: u32) -> Option<i128> {
    10_i128.checked_pow(exponent)
}

impl Num {
    pub fn new(mantissa: i128, scale: u32) -> Num {
        Num { mantissa, scale }
    }

    /// Parse decimal text (`-12.340`, `5`, `1e3` is refused).
    pub fn parse(text: &str) -> Result<Num, Failure> {
        let invalid = || format!("`{text}` is not a decimal number");
        let (negative, digits) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return Err(invalid());
        }
        let mut mantissa: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(i128::from(b - b'0')))
                .ok_or_else(overflow)?;
        }
        let scale = u32::try_from(frac.len()).map_err(|_| invalid())?;
        Ok(Num::new(if negative { -mantissa } else { mantissa }, scale))
    }

    /// The same value at a scale at least as large.
    pub fn widen(self, scale: u32) -> Result<Num, Failure> {
        debug_assert!(scale >= self.scale);
        let factor = pow10(scale - self.scale).ok_or_else(overflow)?;
        let mantissa = self.mantissa.checked_mul(factor).ok_or_else(overflow)?;
        Ok(Num::new(mantissa, scale))
    }

    fn aligned(self, other: Num) -> Result<(i128, i128, u32), Failure> {
        let scale = self.scale.max(other.scale);
        Ok((
            self.widen(scale)?.mantissa,
            other.widen(scale)?.mantissa,
            scale,
        ))
    }

    pub fn add(self, other: Num) -> Result<Num, Failure> {
        let (a, b, scale) = self.aligned(other)?;
        Ok(Num::new(a.checked_add(b).ok_or_else(overflow)?, scale))
    }

    pub fn sub(self, other: Num) -> Result<Num, Failure> {
        self.add(Num::new(
            other.mantissa.checked_neg().ok_or_else(overflow)?,
            other.scale,
        ))
    }

    pub fn mul(self, other: Num) -> Result<Num, Failure> {
        let mantissa = self
            .mantissa
            .checked_mul(other.mantissa)
            .ok_or_else(overflow)?;
        Ok(Num::new(mantissa, self.scale + other.scale))
    }

    pub fn abs(self) -> Result<Num, Failure> {
        Ok(Num::new(
            self.mantissa.checked_abs().ok_or_else(overflow)?,
            self.scale,
        ))
    }

    /// Compare exactly, whatever the scales.
    pub fn cmp(self, other: Num) -> Ordering {
        match self.aligned(other) {
            Ok((a, b, _)) => a.cmp(&b),
            // Too far apart to align in 128 bits: the order keys compare any two values.
            Err(_) => self.order_key().cmp(&other.order_key()),
        }
    }

    /// Round half away from zero to `places` decimals (negative: to tens, hundreds, ..), as
    /// PostgreSQL's `round(numeric, int)`; the result has scale `max(places, 0)`.
    pub fn round(self, places: i32) -> Result<Num, Failure> {
        let target = u32::try_from(places.max(0)).map_err(|_| overflow())?;
        if places >= 0 && target >= self.scale {
            return self.widen(target);
        }
        // Drop `cut` digits, rounding, then (for negative places) pad back with zeros.
        let cut = i64::from(self.scale) - i64::from(places);
        let cut = u32::try_from(cut).map_err(|_| overflow())?;
        let Some(divisor) = pow10(cut) else {
            return Ok(Num::new(0, target));
        };
        let quotient = self.mantissa / divisor;
        let remainder = (self.mantissa % divisor).unsigned_abs();
        let half = divisor.unsigned_abs() / 2 + divisor.unsigned_abs() % 2;
        let rounded = if remainder >= half {
            quotient + self.mantissa.signum()
        } else {
            quotient
        };
        let padding = u32::try_from(-places.min(0)).map_err(|_| overflow())?;
        let mantissa = rounded
            .checked_mul(pow10(padding).ok_or_else(overflow)?)
            .ok_or_else(overflow)?;
        Ok(Num::new(mantissa, target))
    }

    /// The smallest integer not below the value (`ceil`), or the largest not above (`floor`).
    pub fn integral(self, up: bool) -> Result<Num, Failure> {
        let divisor = pow10(self.scale).ok_or_else(overflow)?;
        let quotient = self.mantissa.div_euclid(divisor);
        let exact = self.mantissa.rem_euclid(divisor) == 0;
        let mantissa = if up && !exact { quotient + 1 } else { quotient };
        Ok(Num::new(mantissa, 0))
    }

    /// The same value at a smaller `scale` when its extra decimals are zeros (as they are in a
    /// sum after its finer values have left it); unchanged otherwise.
    pub fn narrowed(self, scale: u32) -> Num {
        if scale >= self.scale {
            return self;
        }
        match pow10(self.scale - scale) {
            Some(divisor) if self.mantissa % divisor == 0 => {
                Num::new(self.mantissa / divisor, scale)
            }
            _ => self,
        }
    }

    /// The mantissa at exactly `scale`, as SQLite stores it: an error if the value has more
    /// decimals or does not fit 64 bits.
    pub fn scaled(self, scale: u32) -> Result<i64, Failure> {
        let at = if scale >= self.scale {
            self.widen(scale)?
        } else {
            let divisor = pow10(self.scale - scale).ok_or_else(overflow)?;
            if self.mantissa % divisor != 0 {
                return Err(format!(
                    "the decimal {self} has more than {scale} decimals: it cannot be stored \
                     at scale {scale} without rounding"
                ));
            }
            Num::new(self.mantissa / divisor, scale)
        };
        i64::try_from(at.mantissa).map_err(|_| overflow())
    }

    /// Divide with PostgreSQL's `numeric` division: the quotient rounded (half away from
    /// zero) to the scale `select_div_scale` picks, at least 16 significant digits.
    pub fn div(self, other: Num) -> Result<Num, Failure> {
        if other.mantissa == 0 {
            return Err("division by zero".to_owned());
        }
        let scale = div_scale(self, other);
        if scale > MAX_SCALE + 10 {
            return Err(overflow());
        }
        // quotient = m1 * 10^(scale - s1 + s2) / m2, by long division so that only the
        // quotient, never the shifted dividend, has to fit 128 bits.
        let shift = scale + other.scale - self.scale;
        let dividend = self.mantissa.unsigned_abs();
        let divisor = other.mantissa.unsigned_abs();
        let mut quotient = dividend / divisor;
        let mut remainder = dividend % divisor;
        for _ in 0..shift {
            // remainder < divisor < 2^127, so remainder * 10 may overflow only for divisors
            // beyond any decimal orm stores.
            let widened = remainder.checked_mul(10).ok_or_else(overflow)?;
            quotient = quotient
                .checked_mul(10)
                .and_then(|q| q.checked_add(widened / divisor))
                .ok_or_else(overflow)?;
            remainder = widened % divisor;
        }
        // Round half away from zero: compare twice the remainder with the divisor.
        if remainder
            .checked_mul(2)
            .is_none_or(|twice| twice >= divisor)
        {
            quotient = quotient.checked_add(1).ok_or_else(overflow)?;
        }
        let quotient = i128::try_from(quotient).map_err(|_| overflow())?;
        let negative = (self.mantissa < 0) != (other.mantissa < 0);
        Ok(Num::new(if negative { -quotient } else { quotient }, scale))
    }

    /// Bytes whose memcmp order is the numeric order (for `ORDER BY` of decimals that
    /// SQLite carries as text): a sign byte, the decimal exponent, then the digits, all
    /// inverted for negative values.
    pub fn order_key(self) -> Vec<u8> {
        if self.mantissa == 0 {
            return vec![0x80];
        }
        let mut digits = self.mantissa.unsigned_abs().to_string().into_bytes();
        // value = 0.d1d2d3.. * 10^exponent
        let exponent = digits.len() as i64 - i64::from(self.scale);
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        // Exponents stay far inside 32 bits (at most ~40 digits either side of the point).
        let exponent = i32::try_from(exponent).unwrap_or(i32::MAX).cast_unsigned() ^ 0x8000_0000;
        let mut key = Vec::with_capacity(digits.len() + 6);
        if self.mantissa > 0 {
            key.push(0xC0);
            key.extend_from_slice(&exponent.to_be_bytes());
            key.extend_from_slice(&digits);
        } else {
            key.push(0x40);
            key.extend_from_slice(&(!exponent).to_be_bytes());
            key.extend(digits.iter().map(|d| b'9' - d + b'0'));
            key.push(0xFF);
        }
        key
    }

    /// A float's decimal form with `digits` significant digits, as PostgreSQL converts a
    /// float to `numeric` (`%.15g`); `None` for NaN, infinities and magnitudes beyond 128
    /// bits.
    pub fn from_f64(value: f64, digits: u32) -> Option<Num> {
        if !value.is_finite() || digits == 0 {
            return None;
        }
        let text = format!("{value:.*e}", (digits - 1) as usize);
        let (mantissa, exponent) = text.split_once('e')?;
        let exponent: i64 = exponent.parse().ok()?;
        let negative = mantissa.starts_with('-');
        let digits_text: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        let mut mantissa: i128 = digits_text.parse().ok()?;
        if negative {
            mantissa = -mantissa;
        }
        let shift = exponent - i64::from(digits - 1);
        if shift >= 0 {
            let factor = pow10(u32::try_from(shift).ok()?)?;
            Some(Num::new(mantissa.checked_mul(factor)?, 0))
        } else {
            Some(Num::new(mantissa, u32::try_from(-shift).ok()?))
        }
    }

    /// The nearest `f64` (correctly rounded, as PostgreSQL's `numeric::float8`).
    pub fn to_f64(self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }
}

impl std::fmt::Display for Num {
    /// Plain decimal text with exactly `scale` decimals, as PostgreSQL prints a `numeric`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let sign = if self.mantissa < 0 { "-" } else { "" };
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int}.{frac}")
    }
}

/// The weight (exponent of 10000) and value of the first non-zero base-10000 digit of a
/// decimal, as PostgreSQL's `NumericVar` holds it; `(0, 0)` for zero.
fn base10000_lead(value: Num) -> (i64, u128) {
    let magnitude = value.mantissa.unsigned_abs();
    if magnitude == 0 {
        return (0, 0);
    }
    // Align the fraction to whole groups of four digits.
    let padding = (4 - value.scale % 4) % 4;
    let groups_scale = i64::from((value.scale + padding) / 4);
    let mut aligned = magnitude;
    let mut overflow_digits = 0;
    for _ in 0..padding {
        match aligned.checked_mul(10) {
            Some(next) => aligned = next,
            None => overflow_digits += 1,
        }
    }
    // `overflow_digits` only happens near 2^128, where the lead digit is approximate; PG
    // values that large are beyond what SQLite stores.
    let _ = overflow_digits;
    let mut index = 0_i64;
    while aligned >= 10_000 {
        aligned /= 10_000;
        index += 1;
    }
    (index - groups_scale, aligned)
}

/// PostgreSQL's `select_div_scale`: enough decimals for 16 significant digits, and at least
/// the scale of either operand.
fn div_scale(dividend: Num, divisor: Num) -> u32 {
    const MIN_SIG_DIGITS: i64 = 16;
    let (weight1, first1) = base10000_lead(dividend);
    let (weight2, first2) = base10000_lead(divisor);
    let mut qweight = weight1 - weight2;
    if first1 <= first2 {
        qweight -= 1;
    }
    let scale = (MIN_SIG_DIGITS - qweight * 4)
        .max(i64::from(dividend.scale))
        .max(i64::from(divisor.scale))
        .clamp(0, 1000);
    scale as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> Num {
        Num::parse(text).unwrap()
    }

    #[test]
    fn division_picks_postgres_scale() {
        // Values checked against PostgreSQL 15.
        assert_eq!(
            n("1").div(n("3")).unwrap().to_string(),
            "0.33333333333333333333"
        );
        assert_eq!(
            n("10").div(n("4")).unwrap().to_string(),
            "2.5000000000000000"
        );
        assert_eq!(
            n("2").div(n("3")).unwrap().to_string(),
            "0.66666666666666666667"
        );
        assert_eq!(
            n("-2").div(n("3")).unwrap().to_string(),
            "-0.66666666666666666667"
        );
        assert_eq!(
            n("1234567.89").div(n("7")).unwrap().to_string(),
            "176366.841428571429"
        );
        assert_eq!(
            n("0.0001").div(n("3")).unwrap().to_string(),
            "0.000033333333333333333333"
        );
        assert_eq!(
            n("99999999.99").div(n("0.01")).unwrap().to_string(),
            "9999999999.00000000"
        );
        assert_eq!(
            n("123456789012345678").div(n("7")).unwrap().to_string(),
            "17636684144620811"
        );
        // avg(1.99, 0.99, 2.00) and avg(1, 2)
        assert_eq!(
            n("4.98").div(n("3")).unwrap().to_string(),
            "1.6600000000000000"
        );
        assert_eq!(
            n("3").div(n("2")).unwrap().to_string(),
            "1.5000000000000000"
        );
        assert_eq!(
            n("5.00").div(n("0.05")).unwrap().to_string(),
            "100.0000000000000000"
        );
        assert!(n("1").div(n("0.00")).is_err());
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(n("2.345").round(2).unwrap().to_string(), "2.35");
        assert_eq!(n("-2.345").round(2).unwrap().to_string(), "-2.35");
        assert_eq!(n("2.344").round(2).unwrap().to_string(), "2.34");
        assert_eq!(n("1.99").round(3).unwrap().to_string(), "1.990");
        assert_eq!(n("1250").round(-2).unwrap().to_string(), "1300");
        assert_eq!(n("-1.5").integral(true).unwrap().to_string(), "-1");
        assert_eq!(n("-1.5").integral(false).unwrap().to_string(), "-2");
    }

    #[test]
    fn floats_round_through_fifteen_digits() {
        let round = |x: f64, places| {
            Num::from_f64(x, 15)
                .unwrap()
                .round(places)
                .unwrap()
                .to_f64()
        };
        // PostgreSQL: round(2.675::float8::numeric, 2) = 2.68 (the binary value is below).
        assert_eq!(round(2.675, 2), 2.68);
        assert_eq!(round(-0.125, 2), -0.13);
        assert_eq!(round(1e20, 0), 1e20);
        assert_eq!(round(123.456, -1), 120.0);
    }

    #[test]
    fn order_keys_sort_numerically() {
        let values = [
            "-100", "-1.25", "-1.2", "-1", "-0.5", "0", "0.001", "0.5", "1", "1.2", "1.25", "9.99",
            "10", "100.5",
        ];
        let keys: Vec<Vec<u8>> = values.iter().map(|v| n(v).order_key()).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(n("1.50").order_key(), n("1.5").order_key());
    }

    #[test]
    fn scaled_refuses_rounding_and_overflow() {
        assert_eq!(n("1.5").scaled(2), Ok(150));
        assert!(n("1.505").scaled(2).is_err());
        assert!(n("100000000000000000000").scaled(0).is_err());
    }
}
