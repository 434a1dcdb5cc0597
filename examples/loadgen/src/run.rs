//! Running the clients: N concurrent clients, each with a connection and a random stream
//! of its own, against one side for a time slice; orm and raw slices interleaved.
//!
//! A measurement of an endpoint is `rounds` rounds of one slice per side, each slice
//! `seconds / rounds` long, in the order orm, raw in even rounds and raw, orm in odd ones
//! (ABBA), so that a drift of the machine (another process, a growing table, a cache
//! warming) falls on both sides alike. Requests/s is the requests completed over the
//! slices' wall time; p50 and p99 are over every request's latency (send to last byte).

use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::StatusCode;

use crate::BoxError;
use crate::http::{Call, Http};
use crate::rng::Rng;
use crate::target::Target;

/// The command-line options every load benchmark takes (`#[command(flatten)]` them).
#[derive(Debug, Clone, clap::Args)]
pub struct LoadArgs {
    /// Run on PostgreSQL: a `postgres://` URL of a server, where the benchmark creates a
    /// database of its own (dropped first if it exists). Default: a SQLite file in a fresh
    /// temporary directory.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Concurrent clients, each with one keep-alive connection.
    #[arg(long, default_value_t = 32)]
    pub clients: usize,
    /// Measured seconds per side and endpoint.
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// Rounds of one orm and one raw slice the seconds are cut into.
    #[arg(long, default_value_t = 10)]
    pub rounds: u32,
    /// Warm-up seconds per side and endpoint, before anything is measured.
    #[arg(long, default_value_t = 2.0)]
    pub warmup: f64,
    /// The run's seed (every client's stream derives from it).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// One side of the comparison: a name (`orm`, `raw`) and the base URL of its server.
#[derive(Debug, Clone)]
pub struct Side {
    /// Shown in the report.
    pub name: &'static str,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
}

/// Makes the next request of a client from its random stream.
type MakeCall = dyn Fn(&mut Rng) -> Call + Send + Sync;

/// What the clients send: a name, and how each request is made from the client's stream.
#[derive(Clone)]
pub struct Endpoint {
    name: String,
    make: Arc<MakeCall>,
    accept: fn(StatusCode) -> bool,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("name", &self.name)
            .finish()
    }
}

impl Endpoint {
    /// An endpoint whose requests `make` draws; a 2xx reply is a success.
    pub fn new(
        name: impl Into<String>,
        make: impl Fn(&mut Rng) -> Call + Send + Sync + 'static,
    ) -> Self {
        Endpoint {
            name: name.into(),
            make: Arc::new(make),
            accept: |status| status.is_success(),
        }
    }

    /// Count replies with a status `accept` takes as successes (and the others as errors).
    pub fn accepting(mut self, accept: fn(StatusCode) -> bool) -> Self {
        self.accept = accept;
        self
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// What one side did on one endpoint, over all its slices.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Latencies of the successful requests, in microseconds.
    latencies_us: Vec<u64>,
    /// The slices' wall time.
    elapsed: Duration,
    /// Requests answered with a status the endpoint does not accept, or not answered.
    pub errors: u64,
    /// The first error, for the report.
    pub first_error: Option<String>,
}

impl Stats {
    fn absorb(&mut self, other: Stats) {
        self.latencies_us.extend(other.latencies_us);
        self.elapsed += other.elapsed;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    /// Successful requests.
    pub fn requests(&self) -> usize {
        self.latencies_us.len()
    }

    /// Successful requests per second of wall time.
    pub fn per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.latencies_us.len() as f64 / seconds
        } else {
            0.0
        }
    }

    /// The `p`th percentile (1..=100) of the latencies, nearest rank, in milliseconds. Call
    /// after the stats are complete (the latencies are sorted then).
    pub fn percentile_ms(&self, p: usize) -> f64 {
        let n = self.latencies_us.len();
        if n == 0 {
            return f64::NAN;
        }
        let rank = (n * p.clamp(1, 100)).div_ceil(100).max(1);
        self.latencies_us[rank - 1] as f64 / 1000.0
    }

    fn finish(&mut self) {
        self.latencies_us.sort_unstable();
    }
}

/// One endpoint, both sides.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The endpoint's name.
    pub endpoint: String,
    /// The orm side (the first [`Side`]).
    pub orm: Stats,
    /// The raw side (the second [`Side`]).
    pub raw: Stats,
}

/// The clients of a run, and the two sides they take turns on.
#[derive(Debug)]
pub struct Bench {
    args: LoadArgs,
    sides: [Side; 2],
    clients: Vec<Http>,
    stream: u64,
}

impl Bench {
    /// `args.clients` clients (a connection pool each) for `orm` and `raw`.
    pub fn new(args: LoadArgs, orm: Side, raw: Side) -> Self {
        let clients = (0..args.clients.max(1)).map(|_| Http::new()).collect();
        Bench {
            args,
            sides: [orm, raw],
            clients,
            stream: 0,
        }
    }

    /// The options of the run.
    pub fn args(&self) -> &LoadArgs {
        &self.args
    }

    /// Drive each endpoint for the warm-up time on each side, unmeasured: connections open,
    /// statements prepared, caches warm.
    pub async fn warm_up(&mut self, endpoints: &[Endpoint]) {
        let slice = Duration::from_secs_f64(self.args.warmup.max(0.0));
        for endpoint in endpoints {
            let mut rngs = self.client_rngs();
            for side in self.sides.clone() {
                let stats = self.slice(&side, endpoint, &mut rngs, slice).await;
                if stats.errors > 0 {
                    eprintln!(
                        "warm-up {} on {}: {} errors, the first: {}",
                        endpoint.name,
                        side.name,
                        stats.errors,
                        stats.first_error.unwrap_or_default()
                    );
                }
            }
        }
    }

    /// Measure `endpoint`: `rounds` rounds of an orm and a raw slice (ABBA order).
    pub async fn measure(&mut self, endpoint: &Endpoint) -> Comparison {
        let rounds = self.args.rounds.max(1);
        let slice = Duration::from_secs_f64(self.args.seconds.max(0.0) / f64::from(rounds));
        let mut rngs = self.client_rngs();
        let mut totals = [Stats::default(), Stats::default()];
        for round in 0..rounds {
            let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            for index in order {
                let side = self.sides[index].clone();
                let stats = self.slice(&side, endpoint, &mut rngs, slice).await;
                totals[index].absorb(stats);
            }
        }
        let [mut orm, mut raw] = totals;
        orm.finish();
        raw.finish();
        Comparison {
            endpoint: endpoint.name.clone(),
            orm,
            raw,
        }
    }

    /// The whole run: warm every endpoint up on both sides, `ANALYZE` the `target` (once
    /// the tables hold what the warm-up wrote), measure each endpoint in turn, and print the
    /// report (see [`print_report`]) under `title`, for `database` ([`Target::describe`])
    /// and the load average `load_before` the run.
    pub async fn run(
        &mut self,
        endpoints: &[Endpoint],
        target: &Target,
        title: &str,
        database: &str,
        load_before: &str,
    ) -> Result<Vec<Comparison>, BoxError> {
        eprintln!(
            "warming up {} endpoint(s), {} s per side each",
            endpoints.len(),
            self.args.warmup
        );
        self.warm_up(endpoints).await;
        target.analyze().await?;
        eprintln!("ANALYZE done");
        let mut comparisons = Vec::with_capacity(endpoints.len());
        for endpoint in endpoints {
            eprintln!(
                "measuring {}, {} s per side",
                endpoint.name, self.args.seconds
            );
            comparisons.push(self.measure(endpoint).await);
        }
        print_report(title, database, &self.args, load_before, &comparisons);
        Ok(comparisons)
    }

    /// A fresh, independent stream per client, for the next endpoint.
    fn client_rngs(&mut self) -> Vec<Rng> {
        self.stream += 1;
        (0..self.clients.len())
            .map(|client| Rng::for_client(self.args.seed, self.stream, client))
            .collect()
    }

    /// Every client sends `endpoint`'s requests to `side`, one at a time, until `length`
    /// has passed; the slice ends when the last answer is in.
    async fn slice(
        &self,
        side: &Side,
        endpoint: &Endpoint,
        rngs: &mut [Rng],
        length: Duration,
    ) -> Stats {
        let start = Instant::now();
        let deadline = start + length;
        let mut tasks = Vec::with_capacity(self.clients.len());
        for (http, rng) in self.clients.iter().zip(rngs.iter()) {
            let (http, mut rng) = (http.clone(), rng.clone());
            let (base, make, accept) = (side.base.clone(), endpoint.make.clone(), endpoint.accept);
            tasks.push(tokio::spawn(async move {
                let mut stats = Stats::default();
                while Instant::now() < deadline {
                    let call = make(&mut rng);
                    let sent = Instant::now();
                    let result = http.send(&base, &call).await;
                    let took = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
                    let failure = match result {
                        Ok(reply) if accept(reply.status) => None,
                        Ok(reply) => Some(format!(
                            "{} {}: {} {}",
                            call.method,
                            call.path,
                            reply.status,
                            reply.text()
                        )),
                        Err(error) => Some(format!("{} {}: {error}", call.method, call.path)),
                    };
                    match failure {
                        None => stats.latencies_us.push(took),
                        Some(message) => {
                            stats.errors += 1;
                            stats.first_error.get_or_insert(message);
                        }
                    }
                }
                (stats, rng)
            }));
        }
        let mut total = Stats::default();
        for (task, slot) in tasks.into_iter().zip(rngs.iter_mut()) {
            match task.await {
                Ok((stats, rng)) => {
                    total.absorb(stats);
                    *slot = rng;
                }
                Err(error) => {
                    total.errors += 1;
                    total
                        .first_error
                        .get_or_insert(format!("a client panicked: {error}"));
                }
            }
        }
        total.elapsed = start.elapsed();
        total
    }
}

/// Send every call to both sides, one at a time: an error naming the first call whose
/// replies differ in status or in a single byte of the body. Returns how many calls agreed.
pub async fn compare(orm: &Side, raw: &Side, calls: &[Call]) -> Result<usize, BoxError> {
    let http = Http::new();
    for call in calls {
        let left = http.send(&orm.base, call).await?;
        let right = http.send(&raw.base, call).await?;
        if left != right {
            return Err(format!(
                "{} {}: the two sides answer differently\n  {}: {} {}\n  {}: {} {}",
                call.method,
                call.path,
                orm.name,
                left.status,
                left.text(),
                raw.name,
                right.status,
                right.text()
            )
            .into());
        }
    }
    Ok(calls.len())
}

/// The load average of the machine (`/proc/loadavg`'s first three fields), or `?`.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "?".into())
}

/// The comparisons as a markdown table: requests/s, p50 and p99 of each side and the
/// orm/raw ratios (above 1 for requests/s: orm serves more; below 1 for latencies: orm
/// answers sooner).
pub fn table(comparisons: &[Comparison]) -> String {
    let mut out = String::from(
        "| endpoint | orm req/s | raw req/s | orm/raw | orm p50 ms | raw p50 ms | orm/raw | orm p99 ms | raw p99 ms | orm/raw | errors orm / raw |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for c in comparisons {
        let (orm_rps, raw_rps) = (c.orm.per_second(), c.raw.per_second());
        let (orm_p50, raw_p50) = (c.orm.percentile_ms(50), c.raw.percentile_ms(50));
        let (orm_p99, raw_p99) = (c.orm.percentile_ms(99), c.raw.percentile_ms(99));
        out.push_str(&format!(
            "| {} | {orm_rps:.0} | {raw_rps:.0} | {:.3} | {orm_p50:.2} | {raw_p50:.2} | {:.3} | {orm_p99:.2} | {raw_p99:.2} | {:.3} | {} / {} |\n",
            c.endpoint,
            orm_rps / raw_rps,
            orm_p50 / raw_p50,
            orm_p99 / raw_p99,
            c.orm.errors,
            c.raw.errors,
        ));
    }
    out
}

/// Print the report of a run to stdout: a heading, the set-up (database, clients, slices,
/// load average before and after) and [`table`]; every side's first error to stderr.
pub fn print_report(
    title: &str,
    database: &str,
    args: &LoadArgs,
    load_before: &str,
    comparisons: &[Comparison],
) {
    println!("### {title}\n");
    println!(
        "{database}; {} clients; {} s per side and endpoint in {} rounds of one orm and one \
         raw slice (ABBA order) after {} s of warm-up per side; seed {}; load average {} \
         before, {} after.\n",
        args.clients,
        args.seconds,
        args.rounds,
        args.warmup,
        args.seed,
        load_before,
        load_average()
    );
    println!("{}", table(comparisons));
    report_errors(comparisons);
}

/// Print every side's first error, if any.
pub fn report_errors(comparisons: &[Comparison]) {
    for c in comparisons {
        for (side, stats) in [("orm", &c.orm), ("raw", &c.raw)] {
            if let Some(error) = &stats.first_error {
                eprintln!(
                    "{} on {side}: {} errors, the first: {error}",
                    c.endpoint, stats.errors
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        let mut stats = Stats {
            latencies_us: (1..=100).rev().map(|ms| ms * 1000).collect(),
            elapsed: Duration::from_secs(2),
            ..Stats::default()
        };
        stats.finish();
        assert_eq!(stats.percentile_ms(50), 50.0);
        assert_eq!(stats.percentile_ms(99), 99.0);
        assert_eq!(stats.percentile_ms(100), 100.0);
        assert_eq!(stats.per_second(), 50.0);
    }
}
