//! Models of a sqlite database, written by orm's `inspect`: one `#[derive(Model)]` struct
//! per table, and `schema()` listing them all.

use orm::prelude::*;

/// A row of `Album`.
#[derive(Model, Debug, Clone)]
#[orm(table = "Album")]
#[orm(index(columns = ["ArtistId"], name = "IFK_AlbumArtistId"))]
pub struct Album {
    /// `AlbumId`: int.
    #[orm(primary_key, auto = false, column = "AlbumId")]
    pub album_id: i32,
    /// `Title`: varchar(160).
    #[orm(column = "Title", max_length = 160)]
    pub title: String,
    /// `ArtistId`: int.
    #[orm(column = "ArtistId")]
    pub artist_id: i32,
    /// The `Artist` row `ArtistId` points to.
    #[orm(belongs_to(foreign_key = "artist_id"))]
    pub artist: BelongsTo<Artist>,
    /// The `Track` rows whose `AlbumId` points to this row.
    #[orm(has_many(foreign_key = "album_id"))]
    pub tracks: HasMany<Track>,
}

/// A row of `Artist`.
#[derive(Model, Debug, Clone)]
#[orm(table = "Artist")]
pub struct Artist {
    /// `ArtistId`: int.
    #[orm(primary_key, auto = false, column = "ArtistId")]
    pub artist_id: i32,
    /// `Name`: varchar(120).
    #[orm(column = "Name", max_length = 120)]
    pub name: Option<String>,
    /// The `Album` rows whose `ArtistId` points to this row.
    #[orm(has_many(foreign_key = "artist_id"))]
    pub albums: HasMany<Album>,
}

/// A row of `Customer`.
#[derive(Model, Debug, Clone)]
#[orm(table = "Customer")]
#[orm(index(columns = ["SupportRepId"], name = "IFK_CustomerSupportRepId"))]
pub struct Customer {
    /// `CustomerId`: int.
    #[orm(primary_key, auto = false, column = "CustomerId")]
    pub customer_id: i32,
    /// `FirstName`: varchar(40).
    #[orm(column = "FirstName", max_length = 40)]
    pub first_name: String,
    /// `LastName`: varchar(20).
    #[orm(column = "LastName", max_length = 20)]
    pub last_name: String,
    /// `Company`: varchar(80).
    #[orm(column = "Company", max_length = 80)]
    pub company: Option<String>,
    /// `Address`: varchar(70).
    #[orm(column = "Address", max_length = 70)]
    pub address: Option<String>,
    /// `City`: varchar(40).
    #[orm(column = "City", max_length = 40)]
    pub city: Option<String>,
    /// `State`: varchar(40).
    #[orm(column = "State", max_length = 40)]
    pub state: Option<String>,
    /// `Country`: varchar(40).
    #[orm(column = "Country", max_length = 40)]
    pub country: Option<String>,
    /// `PostalCode`: varchar(10).
    #[orm(column = "PostalCode", max_length = 10)]
    pub postal_code: Option<String>,
    /// `Phone`: varchar(24).
    #[orm(column = "Phone", max_length = 24)]
    pub phone: Option<String>,
    /// `Fax`: varchar(24).
    #[orm(column = "Fax", max_length = 24)]
    pub fax: Option<String>,
    /// `Email`: varchar(60).
    #[orm(column = "Email", max_length = 60)]
    pub email: String,
    /// `SupportRepId`: int.
    #[orm(column = "SupportRepId")]
    pub support_rep_id: Option<i32>,
    /// The `Employee` row `SupportRepId` points to.
    #[orm(belongs_to(foreign_key = "support_rep_id"))]
    pub support_rep: BelongsTo<Option<Employee>>,
    /// The `Invoice` rows whose `CustomerId` points to this row.
    #[orm(has_many(foreign_key = "customer_id"))]
    pub invoices: HasMany<Invoice>,
}

/// A row of `Employee`.
#[derive(Model, Debug, Clone)]
#[orm(table = "Employee")]
#[orm(index(columns = ["ReportsTo"], name = "IFK_EmployeeReportsTo"))]
pub struct Employee {
    /// `EmployeeId`: int.
    #[orm(primary_key, auto = false, column = "EmployeeId")]
    pub employee_id: i32,
    /// `LastName`: varchar(20).
    #[orm(column = "LastName", max_length = 20)]
    pub last_name: String,
    /// `FirstName`: varchar(20).
    #[orm(column = "FirstName", max_length = 20)]
    pub first_name: String,
    /// `Title`: varchar(30).
    #[orm(column = "Title", max_length = 30)]
    pub title: Option<String>,
    /// `ReportsTo`: int.
    #[orm(column = "ReportsTo")]
    pub reports_to: Option<i32>,
    /// `BirthDate`: timestamp.
    #[orm(column = "BirthDate")]
    pub birth_date: Option<NaiveDateTime>,
    /// `HireDate`: timestamp.
    #[orm(column = "HireDate")]
    pub hire_date: Option<NaiveDateTime>,
    /// `Address`: varchar(70).
    #[orm(column = "Address", max_length = 70)]
    pub address: Option<String>,
    /// `City`: varchar(40).
    #[orm(column = "City", max_length = 40)]
    pub city: Option<String>,
    /// `State`: varchar(40).
    #[orm(column = "State", max_length = 40)]
    pub state: Option<String>,
    /// `Country`: varchar(40).
    #[orm(column = "Country", max_length = 40)]
    pub country: Option<String>,
    /// `PostalCode`: varchar(10).
    #[orm(column = "PostalCode", max_length = 10)]
    pub postal_code: Option<String>,
    /// `Phone`: varchar(24).
    #[orm(column = "Phone", max_length = 24)]
    pub phone: Option<String>,
    /// `Fax`: varchar(24).
    #[orm(column = "Fax", max_length = 24)]
    pub fax: Option<String>,
    /// `Email`: varchar(60).
    #[orm(column = "Email", max_length = 60)]
    pub email: Option<String>,
    /// The `Employee` row `ReportsTo` points to.
    #[orm(belongs_to(foreign_key = "reports_to"))]
    pub reports_to_employee: BelongsTo<Option<Employee>>,
    /// The `Customer` rows whose `SupportRepId` points to this row.
    #[orm(has_many(foreign_key = "support_rep_id"))]
    pub customers: HasMany<Customer>,
    /// The `Employee` rows whose `ReportsTo` points to this row.
    #[orm(has_many(foreign_key = "reports_to"))]
    pub employees: HasMany<Employee>,
}

/// A row of `Genre`.
#[derive(Model, Debug, Clone)]
#[orm(table = "Genre")]
pub struct Genre {
    /// `GenreId`: int.
    #[orm(primary_key, auto = false, column = "GenreId")]
    pub genre_id: i32,
    /// `Name`: varchar(120).
    #[orm(column = "Name", max_length = 120)]
    pub name: Option<String>,
    /// The `Track` rows whose `GenreId` points to this row.
    #[orm(has_many(foreign_key = "genre_id"))]
    pub tracks: HasMany<Track>,
}

/// A row of `Invoice`.
#[derive(Model, Debug, Clone)]
#[orm(table = "Invoice")]
#[orm(index(columns = ["CustomerId"], name = "IFK_InvoiceCustomerId"))]
pub struct Invoice {
    /// `InvoiceId`: int.
    #[orm(primary_key, auto = false, column = "InvoiceId")]
    pub invoice_id: i32,
    /// `CustomerId`: int.
    #[orm(column = "CustomerId")]
    pub customer_id: i32,
    /// `InvoiceDate`: timestamp.
    #[orm(column = "InvoiceDate")]
    pub invoice_date: NaiveDateTime,
    /// `BillingAddress`: varchar(70).
    #[orm(column = "BillingAddress", max_length = 70)]
    pub billing_address: Option<String>,
    /// `BillingCity`: varchar(40).
    #[orm(column = "BillingCity", max_length = 40)]
    pub billing_city: Option<String>,
    /// `BillingState`: varchar(40).
    #[orm(column = "BillingState", max_length = 40)]
    pub billing_state: Option<String>,
    /// `BillingCountry`: varchar(40).
    #[orm(column = "BillingCountry", max_length = 40)]
    pub billing_country: Option<String>,
    /// `BillingPostalCode`: varchar(10).
    #[orm(column = "BillingPostalCode", max_length = 10)]
    pub billing_postal_code: Option<String>,
    /// `Total`: numeric(10, 2).
    #[orm(column = "Total", numeric(10, 2))]
    pub total: Decimal,
    /// The `Customer` row `CustomerId` points to.
    #[orm(belongs_to(foreign_key = "customer_id"))]
    pub customer: BelongsTo<Customer>,
    /// The `InvoiceLine` rows whose `InvoiceId` points to this row.
    #[orm(has_many(foreign_key = "invoice_id"))]
    pub invoice_lines: HasMany<InvoiceLine>,
}

/// A row of `InvoiceLine`.
#[derive(Model, Debug, Clone)]
#[orm(table = "InvoiceLine")]
#[orm(index(columns = ["InvoiceId"], name = "IFK_InvoiceLineInvoiceId"))]
#[orm(index(columns = ["TrackId"], name = "IFK_InvoiceLineTrackId"))]
pub struct InvoiceLine {
    /// `InvoiceLineId`: int.
    #[orm(primary_key, auto = false, column = "InvoiceLineId")]
    pub invoice_line_id: i32,
    /// `InvoiceId`: int.
    #[orm(column = "InvoiceId")]
    pub invoice_id: i32,
    /// `TrackId`: int.
    #[orm(column = "TrackId")]
    pub track_id: i32,
    /// `UnitPrice`: numeric(10, 2).
    #[orm(column = "UnitPrice", numeric(10, 2))]
    pub unit_price: Decimal,
    /// `Quantity`: int.
    #[orm(column = "Quantity")]
    pub quantity: i32,
    /// The `Invoice` row `InvoiceId` points to.
    #[orm(belongs_to(foreign_key = "invoice_id"))]
    pub invoice: BelongsTo<Invoice>,
    /// The `Track` row `TrackId` points to.
    #[orm(belongs_to(foreign_key = "track_id"))]
    pub track: BelongsTo<Track>,
}

/// A row of `MediaType`.
#[derive(Model, Debug, Clone)]
#[orm(table = "MediaType")]
pub struct MediaType {
    /// `MediaTypeId`: int.
    #[orm(primary_key, auto = false, column = "MediaTypeId")]
    pub media_type_id: i32,
    /// `Name`: varchar(120).
    #[orm(column = "Name", max_length = 120)]
    pub name: Option<String>,
    /// The `Track` rows whose `MediaTypeId` points to this row.
    #[orm(has_many(foreign_key = "media_type_id"))]
    pub tracks: HasMany<Track>,
}

/// A row of `Playlist`.
#[derive(Model, Debug, Clone)]
#[orm(table = "Playlist")]
pub struct Playlist {
    /// `PlaylistId`: int.
    #[orm(primary_key, auto = false, column = "PlaylistId")]
    pub playlist_id: i32,
    /// `Name`: varchar(120).
    #[orm(column = "Name", max_length = 120)]
    pub name: Option<String>,
    /// The `PlaylistTrack` rows whose `PlaylistId` points to this row.
    #[orm(has_many(foreign_key = "playlist_id"))]
    pub playlist_tracks: HasMany<PlaylistTrack>,
}

/// A row of `PlaylistTrack`.
#[derive(Model, Debug, Clone)]
#[orm(table = "PlaylistTrack")]
#[orm(primary_key(playlist_id, track_id))]
#[orm(index(columns = ["PlaylistId"], name = "IFK_PlaylistTrackPlaylistId"))]
#[orm(index(columns = ["TrackId"], name = "IFK_PlaylistTrackTrackId"))]
pub struct PlaylistTrack {
    /// `PlaylistId`: int.
    #[orm(column = "PlaylistId")]
    pub playlist_id: i32,
    /// `TrackId`: int.
    #[orm(column = "TrackId")]
    pub track_id: i32,
    /// The `Playlist` row `PlaylistId` points to.
    #[orm(belongs_to(foreign_key = "playlist_id"))]
    pub playlist: BelongsTo<Playlist>,
    /// The `Track` row `TrackId` points to.
    #[orm(belongs_to(foreign_key = "track_id"))]
    pub track: BelongsTo<Track>,
}

/// A row of `Track`.
#[derive(Model, Debug, Clone)]
#[orm(table = "Track")]
#[orm(index(columns = ["AlbumId"], name = "IFK_TrackAlbumId"))]
#[orm(index(columns = ["GenreId"], name = "IFK_TrackGenreId"))]
#[orm(index(columns = ["MediaTypeId"], name = "IFK_TrackMediaTypeId"))]
pub struct Track {
    /// `TrackId`: int.
    #[orm(primary_key, auto = false, column = "TrackId")]
    pub track_id: i32,
    /// `Name`: varchar(200).
    #[orm(column = "Name", max_length = 200)]
    pub name: String,
    /// `AlbumId`: int.
    #[orm(column = "AlbumId")]
    pub album_id: Option<i32>,
    /// `MediaTypeId`: int.
    #[orm(column = "MediaTypeId")]
    pub media_type_id: i32,
    /// `GenreId`: int.
    #[orm(column = "GenreId")]
    pub genre_id: Option<i32>,
    /// `Composer`: varchar(220).
    #[orm(column = "Composer", max_length = 220)]
    pub composer: Option<String>,
    /// `Milliseconds`: int.
    #[orm(column = "Milliseconds")]
    pub milliseconds: i32,
    /// `Bytes`: int.
    #[orm(column = "Bytes")]
    pub bytes: Option<i32>,
    /// `UnitPrice`: numeric(10, 2).
    #[orm(column = "UnitPrice", numeric(10, 2))]
    pub unit_price: Decimal,
    /// The `Album` row `AlbumId` points to.
    #[orm(belongs_to(foreign_key = "album_id"))]
    pub album: BelongsTo<Option<Album>>,
    /// The `Genre` row `GenreId` points to.
    #[orm(belongs_to(foreign_key = "genre_id"))]
    pub genre: BelongsTo<Option<Genre>>,
    /// The `MediaType` row `MediaTypeId` points to.
    #[orm(belongs_to(foreign_key = "media_type_id"))]
    pub media_type: BelongsTo<MediaType>,
    /// The `InvoiceLine` rows whose `TrackId` points to this row.
    #[orm(has_many(foreign_key = "track_id"))]
    pub invoice_lines: HasMany<InvoiceLine>,
    /// The `PlaylistTrack` rows whose `TrackId` points to this row.
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
