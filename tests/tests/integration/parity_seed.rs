//! Models and data of the parity suite (`parity.rs`) beyond the differential shop
//! (`differential_seed.rs`, reused as it is):
//!
//! * a Chinook subset (genres, tracks, invoices, invoice lines), loaded from the public
//!   Chinook sample database's `ChinookData.json` with bulk inserts in one transaction;
//! * two small tables for decimal DDL: a decimal column under a raw CHECK constraint and a
//!   decimal column with a server-side default.
//!
//! The JSON file is read from `ORM_CHINOOK_JSON`, or else from [`DEFAULT_CHINOOK_JSON`]. It is
//! not part of the repository; a missing file fails the tests that need it (with the path).

use std::sync::OnceLock;

use orm::prelude::*;
use serde::Deserialize;

/// Where the Chinook rows are read from when `ORM_CHINOOK_JSON` is not set.
pub const DEFAULT_CHINOOK_JSON: &str = "/work/shared/datasets/chinook/ChinookData.json";

/// A music genre.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "genre")]
pub struct Genre {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 120)]
    pub name: String,
}

/// A track: its list price is a `NUMERIC(10, 2)`.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "track")]
pub struct Track {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 200)]
    pub name: String,
    #[orm(references = Genre, index)]
    pub genre_id: Option<i64>,
    #[orm(max_length = 220)]
    pub composer: Option<String>,
    pub milliseconds: i32,
    pub bytes: Option<i32>,
    #[orm(numeric(10, 2))]
    pub unit_price: Decimal,
}

/// An invoice: its total is a `NUMERIC(10, 2)`.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "invoice")]
pub struct Invoice {
    #[orm(primary_key)]
    pub id: i64,
    pub customer_id: i64,
    pub invoice_date: DateTime<Utc>,
    #[orm(max_length = 40)]
    pub billing_city: Option<String>,
    #[orm(max_length = 40)]
    pub billing_state: Option<String>,
    #[orm(max_length = 40)]
    pub billing_country: Option<String>,
    #[orm(numeric(10, 2))]
    pub total: Decimal,
}

/// One line of an invoice.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "invoice_line")]
pub struct InvoiceLine {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Invoice, on_delete = "cascade", index)]
    pub invoice_id: i64,
    #[orm(references = Track, index)]
    pub track_id: i64,
    #[orm(numeric(10, 2))]
    pub unit_price: Decimal,
    pub quantity: i32,
}

/// A decimal column under typed, model-level CHECK constraints: one compares with a literal
/// (native on SQLite, at the column's scale), one computes (orm's functions on SQLite).
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(
    table = "parity_wallets",
    check(name = "parity_wallet_balance_cap", condition = Wallet::balance.le(Decimal::new(100, 0))),
    check(
        name = "parity_wallet_double_cap",
        condition = (Wallet::balance * Decimal::new(2, 0)).le(Decimal::new(200005, 3))
    )
)]
pub struct Wallet {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 20)]
    pub owner: String,
    #[orm(numeric(10, 2))]
    pub balance: Decimal,
}

/// A decimal column filled by a server-side default written in SQL.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "parity_fees")]
pub struct Fee {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 20)]
    pub label: String,
    #[orm(numeric(10, 2), server_default = "9.99")]
    pub amount: Decimal,
}

/// The Chinook tables of the suite, parents first.
pub fn chinook_schema() -> Schema {
    schema![Genre, Track, Invoice, InvoiceLine]
}

/// The decimal DDL tables of the suite.
pub fn decimal_ddl_schema() -> Schema {
    schema![Wallet, Fee]
}

#[derive(Deserialize)]
struct ChinookJson {
    #[serde(rename = "Genre")]
    genres: Vec<GenreJson>,
    #[serde(rename = "Track")]
    tracks: Vec<TrackJson>,
    #[serde(rename = "Invoice")]
    invoices: Vec<InvoiceJson>,
    #[serde(rename = "InvoiceLine")]
    lines: Vec<InvoiceLineJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GenreJson {
    genre_id: i64,
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TrackJson {
    track_id: i64,
    name: String,
    genre_id: Option<i64>,
    composer: Option<String>,
    milliseconds: i32,
    bytes: Option<i32>,
    unit_price: serde_json::Number,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InvoiceJson {
    invoice_id: i64,
    customer_id: i64,
    invoice_date: String,
    billing_city: Option<String>,
    billing_state: Option<String>,
    billing_country: Option<String>,
    total: serde_json::Number,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InvoiceLineJson {
    invoice_line_id: i64,
    invoice_id: i64,
    track_id: i64,
    unit_price: serde_json::Number,
    quantity: i32,
}

/// The Chinook rows, parsed into the suite's insertable structs, with the ids they must get.
pub struct ChinookRows {
    pub genres: Vec<(i64, NewGenre)>,
    pub tracks: Vec<(i64, NewTrack)>,
    pub invoices: Vec<(i64, NewInvoice)>,
    pub lines: Vec<(i64, NewInvoiceLine)>,
}

/// A JSON money amount (a JSON number such as `0.99`) as a decimal with two places, read from
/// its decimal text (never through a float).
fn money_of(n: &serde_json::Number) -> Decimal {
    let text = n.to_string();
    let mut d: Decimal = text
        .parse()
        .unwrap_or_else(|e| panic!("Chinook amount {text}: {e}"));
    assert!(
        d.scale() <= 2,
        "Chinook amount {text} has more than two places"
    );
    d.rescale(2);
    d
}

/// The JSON export writes the NULLs of the original database as empty strings.
fn null_if_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

/// `ORM_CHINOOK_JSON`, else the dataset beside the project (`../shared/datasets/chinook/`
/// from the workspace root), else [`DEFAULT_CHINOOK_JSON`].
fn chinook_json_path() -> String {
    if let Some(path) = std::env::var("ORM_CHINOOK_JSON")
        .ok()
        .filter(|p| !p.trim().is_empty())
    {
        return path;
    }
    let beside = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/datasets/chinook/ChinookData.json"
    );
    if std::path::Path::new(beside).exists() {
        return beside.to_owned();
    }
    DEFAULT_CHINOOK_JSON.to_owned()
}

/// The Chinook rows, read and parsed once per process.
pub fn chinook_rows() -> &'static ChinookRows {
    static ROWS: OnceLock<ChinookRows> = OnceLock::new();
    ROWS.get_or_init(|| {
        let path = chinook_json_path();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("cannot read the Chinook data at {path} (set ORM_CHINOOK_JSON): {e}")
        });
        let json: ChinookJson =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {path}: {e}"));
        ChinookRows {
            genres: json
                .genres
                .into_iter()
                .map(|g| (g.genre_id, NewGenre { name: g.name }))
                .collect(),
            tracks: json
                .tracks
                .into_iter()
                .map(|t| {
                    (
                        t.track_id,
                        NewTrack {
                            name: t.name,
                            genre_id: t.genre_id,
                            composer: null_if_empty(t.composer),
                            milliseconds: t.milliseconds,
                            bytes: t.bytes,
                            unit_price: money_of(&t.unit_price),
                        },
                    )
                })
                .collect(),
            invoices: json
                .invoices
                .into_iter()
                .map(|i| {
                    let date = NaiveDateTime::parse_from_str(&i.invoice_date, "%Y-%m-%dT%H:%M:%S")
                        .unwrap_or_else(|e| panic!("invoice date {}: {e}", i.invoice_date))
                        .and_utc();
                    (
                        i.invoice_id,
                        NewInvoice {
                            customer_id: i.customer_id,
                            invoice_date: date,
                            billing_city: null_if_empty(i.billing_city),
                            billing_state: null_if_empty(i.billing_state),
                            billing_country: null_if_empty(i.billing_country),
                            total: money_of(&i.total),
                        },
                    )
                })
                .collect(),
            lines: json
                .lines
                .into_iter()
                .map(|l| {
                    (
                        l.invoice_line_id,
                        NewInvoiceLine {
                            invoice_id: l.invoice_id,
                            track_id: l.track_id,
                            unit_price: money_of(&l.unit_price),
                            quantity: l.quantity,
                        },
                    )
                })
                .collect(),
        }
    })
}

/// Rows in id order, checked to be numbered 1, 2, 3, .. as the database will number them.
fn in_key_order<N: Clone>(table: &str, rows: &[(i64, N)]) -> Vec<N> {
    for (expected, (id, _)) in (1..).zip(rows) {
        assert_eq!(
            *id, expected,
            "{table}: the Chinook ids must run 1, 2, 3, .."
        );
    }
    rows.iter().map(|(_, row)| row.clone()).collect()
}

/// Create the Chinook tables and load the rows: bulk inserts, parents first, in one
/// transaction. The keys are generated by the database; the rows go in in Chinook id order,
/// so they get the Chinook ids, which is checked afterwards.
pub async fn seed_chinook(db: &Database) -> Result<()> {
    db.create_all(&chinook_schema()).await?;
    let rows = chinook_rows();
    let genres = in_key_order("genre", &rows.genres);
    let tracks = in_key_order("track", &rows.tracks);
    let invoices = in_key_order("invoice", &rows.invoices);
    let lines = in_key_order("invoice_line", &rows.lines);
    db.transaction(async |tx| {
        NewGenre::insert_many(tx, &genres).await?;
        NewTrack::insert_many(tx, &tracks).await?;
        NewInvoice::insert_many(tx, &invoices).await?;
        NewInvoiceLine::insert_many(tx, &lines).await?;
        Ok::<_, orm::Error>(())
    })
    .await?;

    // The generated keys are the Chinook ids.
    let check = |table: &str, ids: Vec<i64>, rows: usize| {
        let expected: Vec<i64> = (1..).take(rows).collect();
        assert_eq!(
            ids, expected,
            "{table}: generated keys differ from the Chinook ids"
        );
    };
    check(
        "genre",
        Genre::query()
            .order_by(Genre::id)
            .select(Genre::id)
            .all(db)
            .await?,
        genres.len(),
    );
    check(
        "track",
        Track::query()
            .order_by(Track::id)
            .select(Track::id)
            .all(db)
            .await?,
        tracks.len(),
    );
    check(
        "invoice",
        Invoice::query()
            .order_by(Invoice::id)
            .select(Invoice::id)
            .all(db)
            .await?,
        invoices.len(),
    );
    check(
        "invoice_line",
        InvoiceLine::query()
            .order_by(InvoiceLine::id)
            .select(InvoiceLine::id)
            .all(db)
            .await?,
        lines.len(),
    );
    Ok(())
}
