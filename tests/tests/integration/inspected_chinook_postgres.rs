//! Models of a postgresql database, written by orm's `inspect`: one `#[derive(Model)]` struct
//! per table, and `schema()` listing them all.

use orm::prelude::*;

/// A row of `album`.
#[derive(Model, Debug, Clone)]
#[orm(table = "album")]
#[orm(index(columns = ["artist_id"], name = "album_artist_id_idx"))]
pub struct Album {
    /// `album_id`: int.
    #[orm(primary_key, auto = false)]
    pub album_id: i32,
    /// `title`: varchar(160).
    #[orm(max_length = 160)]
    pub title: String,
    /// `artist_id`: int.
    pub artist_id: i32,
    /// The `artist` row `artist_id` points to.
    #[orm(belongs_to(foreign_key = "artist_id"))]
    pub artist: BelongsTo<Artist>,
    /// The `track` rows whose `album_id` points to this row.
    #[orm(has_many(foreign_key = "album_id"))]
    pub tracks: HasMany<Track>,
}

/// A row of `artist`.
#[derive(Model, Debug, Clone)]
#[orm(table = "artist")]
pub struct Artist {
    /// `artist_id`: int.
    #[orm(primary_key, auto = false)]
    pub artist_id: i32,
    /// `name`: varchar(120).
    #[orm(max_length = 120)]
    pub name: Option<String>,
    /// The `album` rows whose `artist_id` points to this row.
    #[orm(has_many(foreign_key = "artist_id"))]
    pub albums: HasMany<Album>,
}

/// A row of `customer`.
#[derive(Model, Debug, Clone)]
#[orm(table = "customer")]
#[orm(index(columns = ["support_rep_id"], name = "customer_support_rep_id_idx"))]
pub struct Customer {
    /// `customer_id`: int.
    #[orm(primary_key, auto = false)]
    pub customer_id: i32,
    /// `first_name`: varchar(40).
    #[orm(max_length = 40)]
    pub first_name: String,
    /// `last_name`: varchar(20).
    #[orm(max_length = 20)]
    pub last_name: String,
    /// `company`: varchar(80).
    #[orm(max_length = 80)]
    pub company: Option<String>,
    /// `address`: varchar(70).
    #[orm(max_length = 70)]
    pub address: Option<String>,
    /// `city`: varchar(40).
    #[orm(max_length = 40)]
    pub city: Option<String>,
    /// `state`: varchar(40).
    #[orm(max_length = 40)]
    pub state: Option<String>,
    /// `country`: varchar(40).
    #[orm(max_length = 40)]
    pub country: Option<String>,
    /// `postal_code`: varchar(10).
    #[orm(max_length = 10)]
    pub postal_code: Option<String>,
    /// `phone`: varchar(24).
    #[orm(max_length = 24)]
    pub phone: Option<String>,
    /// `fax`: varchar(24).
    #[orm(max_length = 24)]
    pub fax: Option<String>,
    /// `email`: varchar(60).
    #[orm(max_length = 60)]
    pub email: String,
    /// `support_rep_id`: int.
    pub support_rep_id: Option<i32>,
    /// The `employee` row `support_rep_id` points to.
    #[orm(belongs_to(foreign_key = "support_rep_id"))]
    pub support_rep: BelongsTo<Option<Employee>>,
    /// The `invoice` rows whose `customer_id` points to this row.
    #[orm(has_many(foreign_key = "customer_id"))]
    pub invoices: HasMany<Invoice>,
}

/// A row of `employee`.
#[derive(Model, Debug, Clone)]
#[orm(table = "employee")]
#[orm(index(columns = ["reports_to"], name = "employee_reports_to_idx"))]
pub struct Employee {
    /// `employee_id`: int.
    #[orm(primary_key, auto = false)]
    pub employee_id: i32,
    /// `last_name`: varchar(20).
    #[orm(max_length = 20)]
    pub last_name: String,
    /// `first_name`: varchar(20).
    #[orm(max_length = 20)]
    pub first_name: String,
    /// `title`: varchar(30).
    #[orm(max_length = 30)]
    pub title: Option<String>,
    /// `reports_to`: int.
    pub reports_to: Option<i32>,
    /// `birth_date`: timestamp.
    pub birth_date: Option<NaiveDateTime>,
    /// `hire_date`: timestamp.
    pub hire_date: Option<NaiveDateTime>,
    /// `address`: varchar(70).
    #[orm(max_length = 70)]
    pub address: Option<String>,
    /// `city`: varchar(40).
    #[orm(max_length = 40)]
    pub city: Option<String>,
    /// `state`: varchar(40).
    #[orm(max_length = 40)]
    pub state: Option<String>,
    /// `country`: varchar(40).
    #[orm(max_length = 40)]
    pub country: Option<String>,
    /// `postal_code`: varchar(10).
    #[orm(max_length = 10)]
    pub postal_code: Option<String>,
    /// `phone`: varchar(24).
    #[orm(max_length = 24)]
    pub phone: Option<String>,
    /// `fax`: varchar(24).
    #[orm(max_length = 24)]
    pub fax: Option<String>,
    /// `email`: varchar(60).
    #[orm(max_length = 60)]
    pub email: Option<String>,
    /// The `employee` row `reports_to` points to.
    #[orm(belongs_to(foreign_key = "reports_to"))]
    pub reports_to_employee: BelongsTo<Option<Employee>>,
    /// The `customer` rows whose `support_rep_id` points to this row.
    #[orm(has_many(foreign_key = "support_rep_id"))]
    pub customers: HasMany<Customer>,
    /// The `employee` rows whose `reports_to` points to this row.
    #[orm(has_many(foreign_key = "reports_to"))]
    pub employees: HasMany<Employee>,
}

/// A row of `genre`.
#[derive(Model, Debug, Clone)]
#[orm(table = "genre")]
pub struct Genre {
    /// `genre_id`: int.
    #[orm(primary_key, auto = false)]
    pub genre_id: i32,
    /// `name`: varchar(120).
    #[orm(max_length = 120)]
    pub name: Option<String>,
    /// The `track` rows whose `genre_id` points to this row.
    #[orm(has_many(foreign_key = "genre_id"))]
    pub tracks: HasMany<Track>,
}

/// A row of `invoice`.
#[derive(Model, Debug, Clone)]
#[orm(table = "invoice")]
#[orm(index(columns = ["customer_id"], name = "invoice_customer_id_idx"))]
pub struct Invoice {
    /// `invoice_id`: int.
    #[orm(primary_key, auto = false)]
    pub invoice_id: i32,
    /// `customer_id`: int.
    pub customer_id: i32,
    /// `invoice_date`: timestamp.
    pub invoice_date: NaiveDateTime,
    /// `billing_address`: varchar(70).
    #[orm(max_length = 70)]
    pub billing_address: Option<String>,
    /// `billing_city`: varchar(40).
    #[orm(max_length = 40)]
    pub billing_city: Option<String>,
    /// `billing_state`: varchar(40).
    #[orm(max_length = 40)]
    pub billing_state: Option<String>,
    /// `billing_country`: varchar(40).
    #[orm(max_length = 40)]
    pub billing_country: Option<String>,
    /// `billing_postal_code`: varchar(10).
    #[orm(max_length = 10)]
    pub billing_postal_code: Option<String>,
    /// `total`: numeric(10, 2).
    #[orm(numeric(10, 2))]
    pub total: Decimal,
    /// The `customer` row `customer_id` points to.
    #[orm(belongs_to(foreign_key = "customer_id"))]
    pub customer: BelongsTo<Customer>,
    /// The `invoice_line` rows whose `invoice_id` points to this row.
    #[orm(has_many(foreign_key = "invoice_id"))]
    pub invoice_lines: HasMany<InvoiceLine>,
}

/// A row of `invoice_line`.
#[derive(Model, Debug, Clone)]
#[orm(table = "invoice_line")]
#[orm(index(columns = ["invoice_id"], name = "invoice_line_invoice_id_idx"))]
#[orm(index(columns = ["track_id"], name = "invoice_line_track_id_idx"))]
pub struct InvoiceLine {
    /// `invoice_line_id`: int.
    #[orm(primary_key, auto = false)]
    pub invoice_line_id: i32,
    /// `invoice_id`: int.
    pub invoice_id: i32,
    /// `track_id`: int.
    pub track_id: i32,
    /// `unit_price`: numeric(10, 2).
    #[orm(numeric(10, 2))]
    pub unit_price: Decimal,
    /// `quantity`: int.
    pub quantity: i32,
    /// The `invoice` row `invoice_id` points to.
    #[orm(belongs_to(foreign_key = "invoice_id"))]
    pub invoice: BelongsTo<Invoice>,
    /// The `track` row `track_id` points to.
    #[orm(belongs_to(foreign_key = "track_id"))]
    pub track: BelongsTo<Track>,
}

/// A row of `media_type`.
#[derive(Model, Debug, Clone)]
#[orm(table = "media_type")]
pub struct MediaType {
    /// `media_type_id`: int.
    #[orm(primary_key, auto = false)]
    pub media_type_id: i32,
    /// `name`: varchar(120).
    #[orm(max_length = 120)]
    pub name: Option<String>,
    /// The `track` rows whose `media_type_id` points to this row.
    #[orm(has_many(foreign_key = "media_type_id"))]
    pub tracks: HasMany<Track>,
}

/// A row of `playlist`.
#[derive(Model, Debug, Clone)]
#[orm(table = "playlist")]
pub struct Playlist {
    /// `playlist_id`: int.
    #[orm(primary_key, auto = false)]
    pub playlist_id: i32,
    /// `name`: varchar(120).
    #[orm(max_length = 120)]
    pub name: Option<String>,
    /// The `playlist_track` rows whose `playlist_id` points to this row.
    #[orm(has_many(foreign_key = "playlist_id"))]
    pub playlist_tracks: HasMany<PlaylistTrack>,
}

/// A row of `playlist_track`.
#[derive(Model, Debug, Clone)]
#[orm(table = "playlist_track")]
#[orm(primary_key(playlist_id, track_id))]
#[orm(index(columns = ["playlist_id"], name = "playlist_track_playlist_id_idx"))]
#[orm(index(columns = ["track_id"], name = "playlist_track_track_id_idx"))]
pub struct PlaylistTrack {
    /// `playlist_id`: int.
    pub playlist_id: i32,
    /// `track_id`: int.
    pub track_id: i32,
    /// The `playlist` row `playlist_id` points to.
    #[orm(belongs_to(foreign_key = "playlist_id"))]
    pub playlist: BelongsTo<Playlist>,
    /// The `track` row `track_id` points to.
    #[orm(belongs_to(foreign_key = "track_id"))]
    pub track: BelongsTo<Track>,
}

/// A row of `track`.
#[derive(Model, Debug, Clone)]
#[orm(table = "track")]
#[orm(index(columns = ["album_id"], name = "track_album_id_idx"))]
#[orm(index(columns = ["genre_id"], name = "track_genre_id_idx"))]
#[orm(index(columns = ["media_type_id"], name = "track_media_type_id_idx"))]
pub struct Track {
    /// `track_id`: int.
    #[orm(primary_key, auto = false)]
    pub track_id: i32,
    /// `name`: varchar(200).
    #[orm(max_length = 200)]
    pub name: String,
    /// `album_id`: int.
    pub album_id: Option<i32>,
    /// `media_type_id`: int.
    pub media_type_id: i32,
    /// `genre_id`: int.
    pub genre_id: Option<i32>,
    /// `composer`: varchar(220).
    #[orm(max_length = 220)]
    pub composer: Option<String>,
    /// `milliseconds`: int.
    pub milliseconds: i32,
    /// `bytes`: int.
    pub bytes: Option<i32>,
    /// `unit_price`: numeric(10, 2).
    #[orm(numeric(10, 2))]
    pub unit_price: Decimal,
    /// The `album` row `album_id` points to.
    #[orm(belongs_to(foreign_key = "album_id"))]
    pub album: BelongsTo<Option<Album>>,
    /// The `genre` row `genre_id` points to.
    #[orm(belongs_to(foreign_key = "genre_id"))]
    pub genre: BelongsTo<Option<Genre>>,
    /// The `media_type` row `media_type_id` points to.
    #[orm(belongs_to(foreign_key = "media_type_id"))]
    pub media_type: BelongsTo<MediaType>,
    /// The `invoice_line` rows whose `track_id` points to this row.
    #[orm(has_many(foreign_key = "track_id"))]
    pub invoice_lines: HasMany<InvoiceLine>,
    /// The `playlist_track` rows whose `track_id` points to this row.
    #[orm(has_many(foreign_key = "track_id"))]
    pub playlist_tracks: HasMany<PlaylistTrack>,
}

/// Every model of this module.
pub fn schema() -> Schema {
    schema![
        Album,
        Artist,
        Customer,
        Employee,
        Genre,
        Invoice,
        InvoiceLine,
        MediaType,
        Playlist,
        PlaylistTrack,
        Track,
    ]
}
