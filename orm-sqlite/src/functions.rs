//! The SQL functions orm registers on every SQLite connection: exact decimal arithmetic
//! ([`crate::decimal`]) that the SQLite dialect renders where SQLite's own operators would
//! round or overflow into floating point, PostgreSQL's rounding of floats, and Unicode case
//! folding (`orm_lower`, `orm_upper`: SQLite's own fold ASCII only).
//!
//! Every decimal argument is a pair `(value, scale)`: `value` is the integer SQLite stores
//! for a `NUMERIC(p, scale)`, or, with scale [`EXACT`], exact decimal text (a quotient, an
//! average, a bound literal). A function whose result scale is fixed when the query is built
//! takes it as its last argument and returns a scaled integer (text for [`EXACT`]). Any NULL
//! argument gives NULL; overflow, division by zero and non-decimal input are SQL errors.

use std::collections::BTreeMap;
use std::ffi::{CStr, c_int, c_uint, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicI64, Ordering};

use libsqlite3_sys as ffi;
use sqlx::sqlite::SqliteConnection;

use crate::decimal::{Failure, Num};
use crate::json::{Jsonb, PathStep};

/// The scale argument that marks a decimal carried as exact text.
pub const EXACT: u8 = u8::MAX;

/// One argument, borrowed from SQLite for the length of the call.
enum Arg<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob,
}

/// What a function returns.
enum Output {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

type Scalar = fn(&[Arg<'_>]) -> Result<Output, Failure>;

/// Read argument `index` of a call.
///
/// # Safety
/// `args` must be the argument array SQLite passed, with more than `index` entries.
unsafe fn arg<'a>(args: *mut *mut ffi::sqlite3_value, index: usize) -> Arg<'a> {
    // SAFETY: the caller guarantees the array holds `index`; SQLite keeps each value and
    // its text alive until the function returns, which outlives `'a` as used here.
    unsafe {
        let value = *args.add(index);
        match ffi::sqlite3_value_type(value) {
            ffi::SQLITE_INTEGER => Arg::Int(ffi::sqlite3_value_int64(value)),
            ffi::SQLITE_FLOAT => Arg::Real(ffi::sqlite3_value_double(value)),
            ffi::SQLITE_TEXT => {
                let text = ffi::sqlite3_value_text(value);
                let len = ffi::sqlite3_value_bytes(value) as usize;
                let bytes = std::slice::from_raw_parts(text, len);
                std::str::from_utf8(bytes).map_or(Arg::Blob, Arg::Text)
            }
            ffi::SQLITE_NULL => Arg::Null,
            _ => Arg::Blob,
        }
    }
}

/// Collect a call's arguments.
///
/// # Safety
/// As for [`arg`], for all `count` arguments.
unsafe fn args<'a>(count: c_int, args: *mut *mut ffi::sqlite3_value) -> Vec<Arg<'a>> {
    (0..count as usize)
        // SAFETY: `index < count`, the length SQLite gave.
        .map(|index| unsafe { arg(args, index) })
        .collect()
}

/// Hand `output` (or the error) to SQLite as the call's result.
///
/// # Safety
/// `ctx` must be the context of the running call.
unsafe fn respond(ctx: *mut ffi::sqlite3_context, output: Result<Output, Failure>) {
    // SAFETY: `ctx` is live; text and blobs are copied by SQLite (SQLITE_TRANSIENT), and
    // their lengths are checked to fit SQLite's `int`.
    unsafe {
        match output {
            Ok(Output::Null) => ffi::sqlite3_result_null(ctx),
            Ok(Output::Int(n)) => ffi::sqlite3_result_int64(ctx, n),
            Ok(Output::Real(x)) => ffi::sqlite3_result_double(ctx, x),
            Ok(Output::Text(text)) => match c_int::try_from(text.len()) {
                Ok(len) => ffi::sqlite3_result_text(
                    ctx,
                    text.as_ptr().cast(),
                    len,
                    ffi::SQLITE_TRANSIENT(),
                ),
                Err(_) => ffi::sqlite3_result_error_toobig(ctx),
            },
            Ok(Output::Blob(bytes)) => match c_int::try_from(bytes.len()) {
                Ok(len) => ffi::sqlite3_result_blob(
                    ctx,
                    bytes.as_ptr().cast(),
                    len,
                    ffi::SQLITE_TRANSIENT(),
                ),
                Err(_) => ffi::sqlite3_result_error_toobig(ctx),
            },
            Err(message) => {
                let len = c_int::try_from(message.len()).unwrap_or(c_int::MAX);
                ffi::sqlite3_result_error(ctx, message.as_ptr().cast(), len)
            }
        }
    }
}

fn guarded<T>(run: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    catch_unwind(AssertUnwindSafe(run))
        .unwrap_or_else(|_| Err("orm's decimal function panicked".to_owned()))
}

unsafe extern "C" fn call_scalar(
    ctx: *mut ffi::sqlite3_context,
    count: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: the user data is the `Scalar` registered with this function; the arguments
    // are the ones SQLite passed for this call.
    unsafe {
        let function: Scalar =
            std::mem::transmute::<*mut c_void, Scalar>(ffi::sqlite3_user_data(ctx));
        let values = args(count, argv);
        let output = guarded(|| function(&values));
        respond(ctx, output);
    }
}

/// The running state of an aggregate.
trait Accumulator: Default {
    fn step(&mut self, args: &[Arg<'_>]) -> Result<(), Failure>;
    fn finish(&self) -> Result<Output, Failure>;
}

/// An aggregate that also runs over a sliding window frame: a row leaves the frame.
trait Windowed: Accumulator {
    fn inverse(&mut self, args: &[Arg<'_>]) -> Result<(), Failure>;
}

/// The aggregate's state slot in SQLite's per-group memory (zeroed on the first step).
///
/// # Safety
/// `ctx` must be the context of a running aggregate of accumulator `A`.
unsafe fn slot<A>(ctx: *mut ffi::sqlite3_context, allocate: bool) -> *mut *mut A {
    // A pointer's size always fits an `int`.
    let size: c_int = if allocate { 8 } else { 0 };
    const { assert!(size_of::<*mut A>() <= 8) };
    // SAFETY: SQLite returns memory of `size` bytes, zeroed on first use, or null.
    unsafe { ffi::sqlite3_aggregate_context(ctx, size).cast() }
}

/// Run `update` on the group's state, made on the first row.
///
/// # Safety
/// `ctx` must be the context of a running aggregate of accumulator `A`, `argv` its
/// arguments.
unsafe fn update<A: Accumulator>(
    ctx: *mut ffi::sqlite3_context,
    count: c_int,
    argv: *mut *mut ffi::sqlite3_value,
    update: fn(&mut A, &[Arg<'_>]) -> Result<(), Failure>,
) {
    // SAFETY: the slot holds null or a `Box<A>` made here; the arguments are SQLite's.
    unsafe {
        let slot = slot::<A>(ctx, true);
        if slot.is_null() {
            ffi::sqlite3_result_error_nomem(ctx);
            return;
        }
        if (*slot).is_null() {
            *slot = Box::into_raw(Box::<A>::default());
        }
        let state = &mut **slot;
        let values = args(count, argv);
        if let Err(message) = guarded(|| update(state, &values)) {
            respond(ctx, Err(message));
        }
    }
}

unsafe extern "C" fn aggregate_step<A: Accumulator>(
    ctx: *mut ffi::sqlite3_context,
    count: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: called by SQLite as this aggregate's step.
    unsafe { update::<A>(ctx, count, argv, A::step) }
}

unsafe extern "C" fn aggregate_inverse<A: Windowed>(
    ctx: *mut ffi::sqlite3_context,
    count: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: called by SQLite as this window function's inverse.
    unsafe { update::<A>(ctx, count, argv, A::inverse) }
}

unsafe extern "C" fn aggregate_value<A: Windowed>(ctx: *mut ffi::sqlite3_context) {
    // SAFETY: the slot holds null or the live `Box<A>`, only read here.
    unsafe {
        let slot = slot::<A>(ctx, false);
        let output = if slot.is_null() || (*slot).is_null() {
            A::default().finish()
        } else {
            let state = &**slot;
            guarded(|| state.finish())
        };
        respond(ctx, output);
    }
}

unsafe extern "C" fn aggregate_final<A: Accumulator>(ctx: *mut ffi::sqlite3_context) {
    // SAFETY: the slot holds null (no row was stepped) or the `Box<A>` made by the steps,
    // taken here exactly once.
    unsafe {
        let slot = slot::<A>(ctx, false);
        let state = if slot.is_null() || (*slot).is_null() {
            A::default()
        } else {
            let boxed = Box::from_raw(*slot);
            *slot = std::ptr::null_mut();
            *boxed
        };
        respond(ctx, guarded(|| state.finish()));
    }
}

/// A decimal argument pair at `index`: `None` for NULL.
fn decimal(args: &[Arg<'_>], index: usize) -> Result<Option<Num>, Failure> {
    let scale = match args.get(index + 1) {
        Some(Arg::Int(scale)) => *scale,
        _ => return Err("orm decimal function called without a scale".to_owned()),
    };
    let exact = scale == i64::from(EXACT);
    let scale = u32::try_from(scale).map_err(|_| "negative decimal scale".to_owned())?;
    match &args[index] {
        Arg::Null => Ok(None),
        Arg::Int(n) => Ok(Some(Num::new(
            i128::from(*n),
            if exact { 0 } else { scale },
        ))),
        Arg::Text(text) => Num::parse(text).map(Some),
        Arg::Real(x) => Err(format!(
            "the decimal {x} is stored as a floating-point REAL (not by orm): it cannot be \
             computed exactly"
        )),
        Arg::Blob => Err("a BLOB is not a decimal".to_owned()),
    }
}

fn integer(args: &[Arg<'_>], index: usize) -> Result<i64, Failure> {
    match args.get(index) {
        Some(Arg::Int(n)) => Ok(*n),
        _ => Err("orm decimal function called without an integer argument".to_owned()),
    }
}

/// The result at the scale given by argument `index`: a scaled integer, or exact text.
fn emit(value: Num, args: &[Arg<'_>], index: usize) -> Result<Output, Failure> {
    let scale = integer(args, index)?;
    if scale == i64::from(EXACT) {
        return Ok(Output::Text(value.to_string()));
    }
    let scale = u32::try_from(scale).map_err(|_| "negative decimal scale".to_owned())?;
    // Never rounds: arithmetic results carry their exact scale, and rounding (an
    // assignment, a cast, `round`) is `orm_dec_round`'s, before this.
    value.scaled(scale).map(Output::Int)
}

fn binary(
    args: &[Arg<'_>],
    op: fn(Num, Num) -> Result<Num, Failure>,
) -> Result<Option<Num>, Failure> {
    match (decimal(args, 0)?, decimal(args, 2)?) {
        (Some(a), Some(b)) => op(a, b).map(Some),
        _ => Ok(None),
    }
}

fn unary(
    args: &[Arg<'_>],
    op: impl FnOnce(Num) -> Result<Output, Failure>,
) -> Result<Output, Failure> {
    match decimal(args, 0)? {
        Some(value) => op(value),
        None => Ok(Output::Null),
    }
}

fn arithmetic(
    args: &[Arg<'_>],
    op: fn(Num, Num) -> Result<Num, Failure>,
) -> Result<Output, Failure> {
    match binary(args, op)? {
        Some(value) => emit(value, args, 4),
        None => Ok(Output::Null),
    }
}

/// `orm_dec_add(a, sa, b, sb, scale)` and the other scalar functions.
const SCALARS: &[(&CStr, c_int, Scalar)] = &[
    (c"orm_dec_add", 5, |args| arithmetic(args, Num::add)),
    (c"orm_dec_sub", 5, |args| arithmetic(args, Num::sub)),
    (c"orm_dec_mul", 5, |args| arithmetic(args, Num::mul)),
    (c"orm_dec_div", 4, |args| {
        Ok(binary(args, Num::div)?.map_or(Output::Null, |q| Output::Text(q.to_string())))
    }),
    (c"orm_dec_cmp", 4, |args| {
        let ordering = match (decimal(args, 0)?, decimal(args, 2)?) {
            (Some(a), Some(b)) => Output::Int(a.cmp(b) as i64),
            _ => Output::Null,
        };
        Ok(ordering)
    }),
    // orm_dec_round(x, sx, places, scale): round half away from zero to `places`.
    (c"orm_dec_round", 4, |args| {
        let places = i32::try_from(integer(args, 2)?).map_err(|_| "round: places out of range")?;
        unary(args, |x| emit(x.round(places)?, args, 3))
    }),
    (c"orm_dec_ceil", 3, |args| {
        unary(args, |x| emit(x.integral(true)?, args, 2))
    }),
    (c"orm_dec_floor", 3, |args| {
        unary(args, |x| emit(x.integral(false)?, args, 2))
    }),
    (c"orm_dec_abs", 3, |args| {
        unary(args, |x| emit(x.abs()?, args, 2))
    }),
    (c"orm_dec_text", 2, |args| {
        unary(args, |x| Ok(Output::Text(x.to_string())))
    }),
    (c"orm_dec_real", 2, |args| {
        unary(args, |x| Ok(Output::Real(x.to_f64())))
    }),
    (c"orm_dec_key", 2, |args| {
        unary(args, |x| Ok(Output::Blob(x.order_key())))
    }),
    // orm_real_round(x, places, digits): PostgreSQL's round of a float, through its decimal
    // form of `digits` significant digits (15 for double precision, 6 for real).
    (c"orm_real_round", 3, |args| {
        let places = i32::try_from(integer(args, 1)?).map_err(|_| "round: places out of range")?;
        let digits = u32::try_from(integer(args, 2)?).map_err(|_| "round: digits out of range")?;
        real(args, |x| match Num::from_f64(x, digits) {
            Some(n) => n.round(places).map(Num::to_f64),
            None => Ok(x),
        })
    }),
    // orm_real_text(x, digits): PostgreSQL's text of a float (`digits` 15: double, 6: real).
    (c"orm_real_text", 2, |args| {
        let real = integer(args, 1)? == 6;
        let x = match args.first() {
            Some(Arg::Real(x)) => *x,
            Some(Arg::Int(n)) => *n as f64,
            Some(Arg::Null) => return Ok(Output::Null),
            _ => return Err("orm_real_text takes a number".to_owned()),
        };
        // A `real` column holds f32 values, stored exactly as doubles: back to f32 is exact.
        #[allow(clippy::cast_possible_truncation)]
        let shortest = if real {
            format!("{:e}", x as f32)
        } else {
            format!("{x:e}")
        };
        Ok(Output::Text(postgres_float_text(
            &shortest,
            if real { 6 } else { 15 },
        )))
    }),
    // orm_json_get(doc, step..), orm_json_text(doc, step..), orm_json_contains(doc, value):
    // PostgreSQL's `->`, `->>` and `@>` on jsonb (see `crate::json`).
    (c"orm_json_get", -1, |args| {
        json_path(args, |value| Some(value.json_text()))
    }),
    (c"orm_json_text", -1, |args| json_path(args, Jsonb::text)),
    (c"orm_json_contains", 2, |args| {
        match (json_arg(args, 0)?, json_arg(args, 1)?) {
            (Some(doc), Some(value)) => Ok(Output::Int(i64::from(doc.contains(&value)))),
            _ => Ok(Output::Null),
        }
    }),
    (c"orm_json_overlaps", 2, |args| {
        match (json_arg(args, 0)?, json_arg(args, 1)?) {
            (Some(a), Some(b)) => Ok(Output::Int(i64::from(a.overlaps(&b)))),
            _ => Ok(Output::Null),
        }
    }),
    (c"orm_lower", 1, |args| text(args, char::to_lowercase)),
    (c"orm_upper", 1, |args| text(args, char::to_uppercase)),
    (c"orm_real_ceil", 1, |args| real(args, |x| Ok(x.ceil()))),
    (c"orm_real_floor", 1, |args| real(args, |x| Ok(x.floor()))),
];

/// Argument `index` as JSON text; `None` for NULL.
fn json_text_arg<'a>(args: &[Arg<'a>], index: usize) -> Result<Option<&'a str>, Failure> {
    match args.get(index) {
        Some(Arg::Text(text)) => Ok(Some(text)),
        Some(Arg::Null) | None => Ok(None),
        Some(_) => Err("orm's JSON functions take JSON text".to_owned()),
    }
}

/// Argument `index` parsed as JSON; `None` for NULL.
fn json_arg(args: &[Arg<'_>], index: usize) -> Result<Option<Jsonb>, Failure> {
    json_text_arg(args, index)?.map(Jsonb::parse).transpose()
}

/// The value at the path given by the arguments after the document (text keys, integer
/// indexes), through `read`; NULL when the document or a step is NULL or nothing is there.
fn json_path(args: &[Arg<'_>], read: fn(&Jsonb) -> Option<String>) -> Result<Output, Failure> {
    let Some(doc) = json_text_arg(args, 0)? else {
        return Ok(Output::Null);
    };
    let mut path = Vec::with_capacity(args.len().saturating_sub(1));
    for step in args.iter().skip(1) {
        path.push(match step {
            Arg::Text(key) => PathStep::Key(key),
            Arg::Int(index) => PathStep::Index(*index),
            Arg::Null => return Ok(Output::Null),
            _ => return Err("a JSON path step is a text key or an integer index".to_owned()),
        });
    }
    Ok(Jsonb::at(doc, &path)?
        .as_ref()
        .and_then(read)
        .map_or(Output::Null, Output::Text))
}

/// Change the case of text one character at a time, as PostgreSQL does (a character whose
/// other case is several characters, like `ß`, stays as it is). NULL for NULL.
fn text<I: Iterator<Item = char>>(
    args: &[Arg<'_>],
    change: fn(char) -> I,
) -> Result<Output, Failure> {
    match args.first() {
        Some(Arg::Text(text)) => Ok(Output::Text(
            text.chars()
                .map(|c| {
                    let mut changed = change(c);
                    match (changed.next(), changed.next()) {
                        (Some(single), None) => single,
                        _ => c,
                    }
                })
                .collect(),
        )),
        Some(Arg::Null) => Ok(Output::Null),
        _ => Err("orm_lower / orm_upper take text".to_owned()),
    }
}

/// PostgreSQL's text of a float from its shortest round-trip digits (`1.5e-5`, Rust's `{:e}`):
/// positional when the decimal exponent is from -4 to `limit - 1` (15 digits for double
/// precision, 6 for real), else `d.ddde±XX`, as PostgreSQL's Ryu-based output writes it.
fn postgres_float_text(shortest: &str, limit: i32) -> String {
    let Some((mantissa, exponent)) = shortest.split_once('e') else {
        return shortest.to_owned(); // NaN, inf
    };
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..limit).contains(&exponent) {
        let point = exponent + 1; // digits before the decimal point
        let text = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}", "0".repeat(point as usize - digits.len()))
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{int}.{frac}")
        };
        return format!("{sign}{text}");
    }
    let (first, rest) = digits.split_at(1);
    let fraction = if rest.is_empty() {
        String::new()
    } else {
        format!(".{rest}")
    };
    let exponent_sign = if exponent < 0 { '-' } else { '+' };
    format!(
        "{sign}{first}{fraction}e{exponent_sign}{:02}",
        exponent.unsigned_abs()
    )
}

/// A float function: NULL for NULL, integers taken as floats.
fn real(args: &[Arg<'_>], op: impl FnOnce(f64) -> Result<f64, Failure>) -> Result<Output, Failure> {
    let x = match args.first() {
        Some(Arg::Real(x)) => *x,
        Some(Arg::Int(n)) => *n as f64,
        Some(Arg::Null) => return Ok(Output::Null),
        _ => return Err("a float function was given text or a BLOB".to_owned()),
    };
    op(x).map(Output::Real)
}

/// The exact running total and count of the non-NULL decimals of a group or window frame,
/// and how many of them have each scale: PostgreSQL's sum has the largest scale of the values
/// summed, so a value leaving a window frame can narrow it.
#[derive(Default)]
struct Running {
    total: Option<Num>,
    count: i128,
    scales: BTreeMap<u32, usize>,
}

impl Running {
    /// Add the decimal argument at 0 (a row joins the group or frame).
    fn add(&mut self, args: &[Arg<'_>]) -> Result<(), Failure> {
        if let Some(value) = decimal(args, 0)? {
            self.total = Some(match self.total {
                Some(total) => total.add(value)?,
                None => value,
            });
            self.count += 1;
            *self.scales.entry(value.scale).or_default() += 1;
        }
        Ok(())
    }

    /// Take it away again (a row leaves the window frame).
    fn remove(&mut self, args: &[Arg<'_>]) -> Result<(), Failure> {
        if let (Some(value), Some(total)) = (decimal(args, 0)?, self.total) {
            self.total = Some(total.sub(value)?);
            self.count -= 1;
            if let Some(count) = self.scales.get_mut(&value.scale) {
                *count -= 1;
                if *count == 0 {
                    self.scales.remove(&value.scale);
                }
            }
        }
        Ok(())
    }

    /// The total at the largest scale of the values in it, `None` over no values.
    fn total(&self) -> Option<Num> {
        let total = self.total.filter(|_| self.count > 0)?;
        let scale = self
            .scales
            .keys()
            .next_back()
            .copied()
            .unwrap_or(total.scale);
        Some(total.narrowed(scale))
    }
}

/// `orm_dec_sum(x, sx, scale)`: an exact sum (NULL over no values).
#[derive(Default)]
struct Sum {
    running: Running,
    scale: Option<i64>,
}

impl Accumulator for Sum {
    fn step(&mut self, args: &[Arg<'_>]) -> Result<(), Failure> {
        self.scale = Some(integer(args, 2)?);
        self.running.add(args)
    }

    fn finish(&self) -> Result<Output, Failure> {
        match (self.running.total(), self.scale) {
            (Some(total), Some(scale)) => emit(total, &[Arg::Int(scale)], 0),
            _ => Ok(Output::Null),
        }
    }
}

impl Windowed for Sum {
    fn inverse(&mut self, args: &[Arg<'_>]) -> Result<(), Failure> {
        self.running.remove(args)
    }
}

/// `orm_dec_avg(x, sx)`: PostgreSQL's `avg(numeric)`, the exact sum divided by the count
/// with [`Num::div`]'s scale, as exact text.
#[derive(Default)]
struct Average {
    running: Running,
}

impl Accumulator for Average {
    fn step(&mut self, args: &[Arg<'_>]) -> Result<(), Failure> {
        self.running.add(args)
    }

    fn finish(&self) -> Result<Output, Failure> {
        match self.running.total() {
            Some(total) => Ok(Output::Text(
                total.div(Num::new(self.running.count, 0))?.to_string(),
            )),
            None => Ok(Output::Null),
        }
    }
}

impl Windowed for Average {
    fn inverse(&mut self, args: &[Arg<'_>]) -> Result<(), Failure> {
        self.running.remove(args)
    }
}

/// `orm_dec_min(x, sx)` / `orm_dec_max(x, sx)` over exact text decimals, as aggregates and
/// over window frames.
#[derive(Default)]
struct Extreme<const MAX: bool> {
    /// The values in the group or window frame by numeric order (their order keys), each
    /// with its value (the first seen of its key, so its scale) and how many there are.
    values: BTreeMap<Vec<u8>, (Num, usize)>,
}

impl<const MAX: bool> Accumulator for Extreme<MAX> {
    fn step(&mut self, args: &[Arg<'_>]) -> Result<(), Failure> {
        if let Some(value) = decimal(args, 0)? {
            self.values.entry(value.order_key()).or_insert((value, 0)).1 += 1;
        }
        Ok(())
    }

    fn finish(&self) -> Result<Output, Failure> {
        let best = if MAX {
            self.values.values().next_back()
        } else {
            self.values.values().next()
        };
        Ok(best.map_or(Output::Null, |(v, _)| Output::Text(v.to_string())))
    }
}

impl<const MAX: bool> Windowed for Extreme<MAX> {
    fn inverse(&mut self, args: &[Arg<'_>]) -> Result<(), Failure> {
        if let Some(value) = decimal(args, 0)? {
            let key = value.order_key();
            if let Some((_, count)) = self.values.get_mut(&key) {
                *count -= 1;
                if *count == 0 {
                    self.values.remove(&key);
                }
            }
        }
        Ok(())
    }
}

type Step = unsafe extern "C" fn(*mut ffi::sqlite3_context, c_int, *mut *mut ffi::sqlite3_value);
type Final = unsafe extern "C" fn(*mut ffi::sqlite3_context);

type Window = (Step, Final, Final, Step);

fn window<A: Windowed>() -> Window {
    (
        aggregate_step::<A>,
        aggregate_final::<A>,
        aggregate_value::<A>,
        aggregate_inverse::<A>,
    )
}

/// The time `orm_now` gives, in microseconds since 1970: read on the first call after each
/// statement starts running (SQLite's statement trace clears it), so every call in one
/// statement — the `created_at` and `updated_at` of one row, every row of one insert —
/// gives the same time, with the microseconds PostgreSQL keeps (SQLite's own `'now'` has
/// milliseconds). A statement that never asks costs one atomic store.
struct StatementClock(AtomicI64);

/// "Not read yet in this statement."
const UNREAD: i64 = i64::MIN;

impl StatementClock {
    fn now(&self) -> i64 {
        let read = self.0.load(Ordering::Relaxed);
        if read != UNREAD {
            return read;
        }
        let now = micros_now();
        match self
            .0
            .compare_exchange(UNREAD, now, Ordering::Relaxed, Ordering::Relaxed)
        {
            Ok(_) => now,
            Err(first) => first,
        }
    }
}

fn micros_now() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

unsafe extern "C" fn statement_started(
    _event: c_uint,
    clock: *mut c_void,
    _statement: *mut c_void,
    _sql: *mut c_void,
) -> c_int {
    // SAFETY: `clock` is the `StatementClock` registered with this connection's trace, alive
    // until the connection closes (freed by `orm_now`'s destructor).
    let clock = unsafe { &*clock.cast::<StatementClock>() };
    clock.0.store(UNREAD, Ordering::Relaxed);
    0
}

unsafe extern "C" fn free_clock(clock: *mut c_void) {
    // SAFETY: called once by SQLite when the connection drops `orm_now`, with the pointer
    // `Box::into_raw` gave.
    drop(unsafe { Box::from_raw(clock.cast::<StatementClock>()) });
}

/// `orm_now(kind)`: the statement's time as orm stores it: 0 a `DateTime<Utc>`
/// (`..T..Z`), 1 a `NaiveDateTime`, 2 a `NaiveTime`, 3 a `NaiveDate`.
unsafe extern "C" fn call_now(
    ctx: *mut ffi::sqlite3_context,
    count: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: the user data is this connection's `StatementClock`; the arguments are
    // SQLite's.
    unsafe {
        let clock = &*ffi::sqlite3_user_data(ctx).cast::<StatementClock>();
        let values = args(count, argv);
        let micros = clock.now();
        let output = match (
            values.first(),
            chrono::DateTime::from_timestamp_micros(micros),
        ) {
            (Some(Arg::Int(kind)), Some(at)) => {
                let naive = at.naive_utc();
                Ok(Output::Text(match kind {
                    0 => format!("{}Z", naive.format("%Y-%m-%dT%H:%M:%S%.6f")),
                    1 => naive.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
                    2 => naive.format("%H:%M:%S%.6f").to_string(),
                    _ => naive.format("%Y-%m-%d").to_string(),
                }))
            }
            _ => Err("orm_now takes the kind of time to give".to_owned()),
        };
        respond(ctx, output);
    }
}

/// Register orm's functions on a connection and keep its plans stable (run for every
/// connection a pool opens; see [`crate::plans`]).
pub async fn register_functions(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is the locked connection's handle.
    let mut codes = vec![unsafe { crate::plans::keep_plans(db) }];
    let flags = ffi::SQLITE_UTF8 | ffi::SQLITE_DETERMINISTIC | ffi::SQLITE_INNOCUOUS;
    let windowed: [(&CStr, c_int, Window); 4] = [
        (c"orm_dec_sum", 3, window::<Sum>()),
        (c"orm_dec_avg", 2, window::<Average>()),
        (c"orm_dec_min", 2, window::<Extreme<false>>()),
        (c"orm_dec_max", 2, window::<Extreme<true>>()),
    ];
    for (name, count, function) in SCALARS {
        // SAFETY: `db` is the locked connection's handle; the name is NUL-terminated and
        // static; the user data is a plain function pointer, never freed.
        codes.push(unsafe {
            ffi::sqlite3_create_function_v2(
                db,
                name.as_ptr(),
                *count,
                flags,
                *function as *mut c_void,
                Some(call_scalar),
                None,
                None,
                None,
            )
        });
    }
    for (name, count, (step, finish, value, inverse)) in windowed {
        // SAFETY: as above; usable both as an aggregate and over a window frame.
        codes.push(unsafe {
            ffi::sqlite3_create_window_function(
                db,
                name.as_ptr(),
                count,
                flags,
                std::ptr::null_mut(),
                Some(step),
                Some(finish),
                Some(value),
                Some(inverse),
                None,
            )
        });
    }
    let clock = Box::into_raw(Box::new(StatementClock(AtomicI64::new(UNREAD))));
    // SAFETY: `clock` lives until SQLite calls `free_clock`: when the connection closes, or
    // at once if registering fails, in which case the trace below is never set.
    let registered = unsafe {
        ffi::sqlite3_create_function_v2(
            db,
            c"orm_now".as_ptr(),
            1,
            ffi::SQLITE_UTF8 | ffi::SQLITE_INNOCUOUS,
            clock.cast(),
            Some(call_now),
            None,
            None,
            Some(free_clock),
        )
    };
    codes.push(registered);
    if registered == ffi::SQLITE_OK {
        // SAFETY: the trace reads `clock` only while the connection is open.
        codes.push(unsafe {
            ffi::sqlite3_trace_v2(
                db,
                ffi::SQLITE_TRACE_STMT,
                Some(statement_started),
                clock.cast(),
            )
        });
    }
    match codes.into_iter().find(|code| *code != ffi::SQLITE_OK) {
        None => Ok(()),
        Some(code) => Err(sqlx::Error::Configuration(
            format!("registering orm's SQLite functions failed (code {code})").into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::postgres_float_text;

    fn text(x: f64) -> String {
        postgres_float_text(&format!("{x:e}"), 15)
    }

    #[test]
    fn floats_print_as_postgres_prints_them() {
        // Each checked against PostgreSQL 15's float8out.
        assert_eq!(text(1.5), "1.5");
        assert_eq!(text(0.1), "0.1");
        assert_eq!(text(100.0), "100");
        assert_eq!(text(1e20), "1e+20");
        assert_eq!(text(1.5e-5), "1.5e-05");
        assert_eq!(text(0.0001), "0.0001");
        assert_eq!(text(123456789012345.0), "123456789012345");
        assert_eq!(text(1234567890123456.0), "1.234567890123456e+15");
        assert_eq!(text(-2.5e-300), "-2.5e-300");
        assert_eq!(text(0.0), "0");
        assert_eq!(postgres_float_text(&format!("{:e}", 1.1_f32), 6), "1.1");
        assert_eq!(
            postgres_float_text(&format!("{:e}", 1234567.0_f32), 6),
            "1.234567e+06"
        );
    }
}
