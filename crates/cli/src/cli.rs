//! The command line: `run`, `list`, `mock`, `selftest`, `docs` and `vocabulary`.
//!
//! Exit codes ([`exit_code`]): 0 conformant, 1 not conformant (a scenario failed), 2 for a
//! usage or configuration error (with a message saying what to do), 3 when nothing failed
//! but something could not be tested (or nothing ran), 130 when `run` was interrupted.

use std::io::Write as _;
use std::path::PathBuf;

use clap::{Args, CommandFactory as _, Parser, Subcommand};

use crate::embedded::{self, EmbeddedMock};
use crate::environment;
use crate::error::CliError;
use crate::interrupt::{CLEAN_UP_WITHIN, Interruption};
use crate::mock::{
    DeviceRegistry, Fault, MockCiba, MockClientAuth, MockOptions, MockServer, Variation,
};
use crate::negative::{Depth, GenerationSettings};
use crate::profile::Profile;
use crate::redact::Redactor;
use crate::report::{Conclusion, ConsoleStyle, OutputArgs, Reporter, RunResult};
use crate::runner::{self, Interrupted, RunBuilder, Suite, TagFilter, choose_profile};
use crate::schema::SchemaSet;
use crate::target_file::Target;
use reachability_harness::phrasebook::{Phrasebook, PhrasebookError};
use reachability_harness::steps::{Sweep, vocabulary};

/// Exit code: nothing failed or errored, and something ran (conformant).
pub const EXIT_OK: i32 = 0;
/// Exit code: at least one scenario failed (not conformant).
pub const EXIT_FAILED: i32 = 1;
/// Exit code: bad usage or configuration; nothing was tested.
pub const EXIT_USAGE: i32 = 2;
/// Exit code: nothing failed, but a scenario could not be tested, or nothing ran.
pub const EXIT_COULD_NOT_TEST: i32 = 3;
/// Exit code: the run was interrupted (Ctrl-C or SIGTERM), 128 + SIGINT as shells do.
pub const EXIT_INTERRUPTED: i32 = 130;

/// The exit code of `run` for what the runs conclude: the one place this mapping lives.
pub fn exit_code(conclusion: Conclusion) -> i32 {
    match conclusion {
        Conclusion::Conformant => EXIT_OK,
        Conclusion::NotConformant => EXIT_FAILED,
        Conclusion::CouldNotTest | Conclusion::NothingRan => EXIT_COULD_NOT_TEST,
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "reachability-conformance",
    version,
    about = "Contract-conformance tests for the CAMARA Device Reachability Status API"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the conformance suite against a target (default: the embedded mock, every profile).
    Run(RunArgs),
    /// List the scenarios a run would execute, and which would be skipped for which missing key.
    List(SelectArgs),
    /// Serve the embedded reference mock and print the target file that tests it.
    Mock(MockArgs),
    /// Run the suite against the mock with each fault switch on, print which scenarios catch
    /// each fault and the mutation score (exit 1 when a fault is missed).
    Selftest(SelftestArgs),
    /// Write the documentation pages that are program output (fault switches, legal
    /// variations, step vocabulary, the self-test's table, the sample reports) into
    /// docs/generated/, or check that they are up to date (exit 1 when a page differs).
    Docs(DocsArgs),
    /// Print every sentence the harness knows, by phase, with its captures and an example,
    /// and the phrasing drift it absorbs, as Markdown (docs/generated/vocabulary.md).
    Vocabulary,
}

#[derive(Args, Debug)]
struct DocsArgs {
    /// Check the pages instead of writing them: exit 1, naming each page that differs.
    #[arg(long)]
    check: bool,
    /// The folder of the generated pages.
    #[arg(long, value_name = "DIR", default_value = crate::docs::DEFAULT_DIR)]
    dir: PathBuf,
}

#[derive(Args, Debug)]
struct SelftestArgs {
    /// Only this profile (default: every profile).
    #[arg(long, value_name = "PROFILE")]
    profile: Option<Profile>,
}

#[derive(Args, Debug)]
struct SelectArgs {
    /// Target file (TOML). Without it, the embedded mock is tested.
    #[arg(long, value_name = "FILE")]
    target: Option<PathBuf>,
    /// Profile of the embedded mock when no target file is given (default: every profile;
    /// `camara-v1` is the newest v1 release).
    #[arg(long, value_name = "PROFILE")]
    profile: Option<Profile>,
    /// Feature files or folders to run instead of the embedded suite (e.g. CAMARA's official plan).
    #[arg(long = "features", value_name = "PATH")]
    features: Vec<PathBuf>,
    /// Only scenarios matching this cucumber tag expression, e.g. "@reachability_v1_01_connected_sms_only".
    #[arg(long, value_name = "EXPR")]
    tags: Option<TagFilter>,
    /// Aliases binding your own step sentences: a TOML file of
    /// '<regular expression>' = '<sentence of the vocabulary>' lines.
    #[arg(long, value_name = "FILE")]
    vocabulary: Option<PathBuf>,
    /// Fill a {placeholder} of CAMARA's templates (repeatable), e.g. path_to_device=$.device.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// Generated cases per step: quick (one per malformation class), standard (the default:
    /// plus a small seeded random sample) or deep (the counts the steps write). Overrides
    /// the target file's `[run] depth`.
    #[arg(long, value_name = "DEPTH")]
    depth: Option<Depth>,
}

#[derive(Args, Debug)]
struct RunArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// Count scenarios skipped for a missing testing asset, and failed advisory checks, as
    /// failures.
    #[arg(long, alias = "fail-on-skip")]
    strict: bool,
    /// Validate responses against this OpenAPI document (YAML or JSON) instead of the built-in schemas.
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// Send at most N requests (as `list` counts them): scenarios run cheapest first while
    /// their requests fit; the rest are reported as errored, not run (exit 3 if nothing failed).
    #[arg(long, value_name = "N")]
    max_requests: Option<usize>,
    /// Before the first scenario, delete the subscriptions an earlier run of the same sink
    /// URL left (as `[subscriptions] sweep = true`).
    #[arg(long)]
    sweep_subscriptions: bool,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Args, Debug)]
struct MockArgs {
    /// Port to listen on (127.0.0.1); 0 picks a free one.
    #[arg(long, default_value_t = 9091)]
    port: u16,
    /// API generation to serve.
    #[arg(long, default_value = "camara-v1")]
    profile: Profile,
    /// Delay added to every API answer, to imitate a remote sandbox.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,
    /// Turn on a fault switch (repeatable); see --list-faults.
    #[arg(long = "fault", value_name = "NAME")]
    faults: Vec<Fault>,
    /// Replace the device registry with this TOML file.
    #[arg(long, value_name = "FILE")]
    devices: Option<PathBuf>,
    /// Answer 429 once a token has made this many API requests.
    #[arg(long, value_name = "N")]
    quota: Option<u32>,
    /// Answer 429 (with `Retry-After: 1`) to requests beyond N per second, as a
    /// rate-limited sandbox does.
    #[arg(long, value_name = "N")]
    rate_limit: Option<u32>,
    /// How the client of the printed target file authenticates.
    #[arg(long, value_enum, default_value_t = ClientAuthArg::ClientSecret)]
    client_auth: ClientAuthArg,
    /// Issue RS256-signed JWT access tokens (JWKS and RFC 7662 introspection endpoints)
    /// instead of opaque ones.
    #[arg(long)]
    jwt_access_tokens: bool,
    /// CIBA: `authorization_pending` answers to each authentication request before the
    /// user decides.
    #[arg(long, value_name = "N", default_value_t = MockCiba::default().pending_polls)]
    ciba_pending_polls: u32,
    /// CIBA: the user denies every request (polls end with `access_denied`).
    #[arg(long)]
    ciba_deny: bool,
    /// List the fault switches and exit.
    #[arg(long)]
    list_faults: bool,
    /// Turn on a legal variation (repeatable): behaviour that differs from the default and
    /// still conforms; see --list-variations.
    #[arg(long = "variation", value_name = "NAME")]
    variations: Vec<Variation>,
    /// List the legal variations, with the clause that makes each legal, and exit.
    #[arg(long)]
    list_variations: bool,
}

/// `mock --client-auth`: how the client of the mock's target file authenticates.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum ClientAuthArg {
    /// A client secret (HTTP Basic), or Orange's ready Basic header in orange-lab-v0.
    ClientSecret,
    /// CAMARA's security profile: RFC 7523 client assertions signed by a key generated
    /// at start, endpoints by OpenID discovery.
    PrivateKeyJwt,
}

impl From<ClientAuthArg> for MockClientAuth {
    fn from(arg: ClientAuthArg) -> Self {
        match arg {
            ClientAuthArg::ClientSecret => MockClientAuth::ClientSecret,
            ClientAuthArg::PrivateKeyJwt => MockClientAuth::PrivateKeyJwt,
        }
    }
}

/// `value` quoted for a POSIX shell on one line: '...' when it can be, else bash's
/// $'...' with escapes (a PEM key has newlines).
fn shell_quote(value: &str) -> String {
    if !value.contains(['\'', '\n', '\\']) {
        return format!("'{value}'");
    }
    let escaped = value
        .replace('\\', "\\\\")
        .replace('\'', "\\'")
        .replace('\n', "\\n");
    format!("$'{escaped}'")
}

/// The command line's definition, e.g. to check that a command line parses.
pub fn command() -> clap::Command {
    Cli::command()
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return EXIT_USAGE;
        }
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            Command::Run(args) => run(args).await,
            Command::List(args) => list(args).await,
            Command::Mock(args) => mock(args).await,
            Command::Selftest(args) => {
                // The default depth, as a run has it: it tries every malformation class.
                // RC_GENERATED_CASES still applies.
                let settings = environment::generation_settings()?;
                let passed = crate::selftest::command(args.profile, settings).await?;
                Ok(if passed { EXIT_OK } else { EXIT_FAILED })
            }
            Command::Docs(args) => docs(args).await,
            Command::Vocabulary => {
                print!("{}", crate::docs::vocabulary_page()?.text);
                Ok(EXIT_OK)
            }
        }
    });
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            error.exit_code()
        }
    }
}

/// The targets a command works on: one target file, or the embedded mock per profile.
enum Targets {
    File(Box<Target>),
    Embedded(Vec<Profile>),
}

/// The targets of a command on `suite`. Feature files given with `--features` choose the
/// profile they target (see [`choose_profile`]); the embedded suite runs in every profile.
fn targets(select: &SelectArgs, suite: &Suite) -> Result<Targets, CliError> {
    let from_files = !select.features.is_empty();
    match (&select.target, select.profile) {
        (Some(_), Some(_)) => Err(CliError::Usage(
            "--profile chooses the embedded mock's profile; a target file names its own profile"
                .into(),
        )),
        (Some(path), None) => {
            let target = Target::load(path)?;
            if from_files {
                let given_by = format!("the target file (profile = \"{}\")", target.profile);
                choose_profile(suite, Some(target.profile), &given_by)?;
            }
            Ok(Targets::File(Box::new(target)))
        }
        (None, given) if from_files => {
            let given_by = given.map(|p| format!("--profile {p}")).unwrap_or_default();
            Ok(Targets::Embedded(vec![choose_profile(
                suite, given, &given_by,
            )?]))
        }
        (None, Some(profile)) => Ok(Targets::Embedded(vec![profile])),
        (None, None) => Ok(Targets::Embedded(Profile::all().to_vec())),
    }
}

fn suite(select: &SelectArgs) -> Result<Suite, CliError> {
    if select.features.is_empty() {
        Suite::embedded()
    } else {
        Suite::from_paths(&select.features)
    }
    .map_err(CliError::from)
}

/// A target ready to test, with the embedded mock behind it when there is one.
async fn resolve(target: Target) -> Result<(Target, Option<EmbeddedMock>), CliError> {
    match &target.embedded_mock {
        Some(mock) => {
            let started = embedded::start_embedded_mock(
                target.profile,
                &mock.faults,
                mock.latency_ms,
                Some(&target.http),
            )
            .await?;
            Ok((started.target.clone(), Some(started)))
        }
        None => Ok((target, None)),
    }
}

async fn embedded(profile: Profile) -> Result<(Target, Option<EmbeddedMock>), CliError> {
    let started = embedded::start_embedded_mock(profile, &[], 0, None).await?;
    Ok((started.target.clone(), Some(started)))
}

/// The aliases and parameters of the command line (`--vocabulary`, `--param`).
fn command_line_phrasebook(select: &SelectArgs) -> Result<Phrasebook, PhrasebookError> {
    let mut book = match &select.vocabulary {
        Some(path) => Phrasebook::from_vocabulary_file(path)?,
        None => Phrasebook::default(),
    };
    for assignment in &select.params {
        book.set_param(assignment)?;
    }
    Ok(book)
}

/// The targets of the command, each with the target file's aliases and parameters and then
/// the command line's, every alias checked against the vocabulary.
async fn each_target(
    select: &SelectArgs,
    suite: &Suite,
) -> Result<Vec<(Target, Option<EmbeddedMock>)>, CliError> {
    let from_command_line = command_line_phrasebook(select)?;
    let mut out = Vec::new();
    match targets(select, suite)? {
        Targets::File(target) => {
            let phrasebook = target.phrasebook.clone();
            let (resolved, mock) = resolve(*target).await?;
            out.push((
                Target {
                    phrasebook,
                    ..resolved
                },
                mock,
            ));
        }
        Targets::Embedded(profiles) => {
            for profile in profiles {
                out.push(embedded(profile).await?);
            }
        }
    }
    for (target, _) in &mut out {
        target.phrasebook.extend(from_command_line.clone());
        if let Err(e) = vocabulary::check_aliases(&target.phrasebook) {
            for (_, mock) in out.drain(..) {
                if let Some(mock) = mock {
                    mock.server.shutdown().await;
                }
            }
            return Err(e.into());
        }
    }
    Ok(out)
}

async fn run(args: RunArgs) -> Result<i32, CliError> {
    let suite = suite(&args.select)?;
    let generation = environment::generation_settings()?;
    let interruption = Interruption::listen();
    // One reporter (one redactor) for every run, so each output file holds all of them and
    // masks the secrets of all of them.
    let redactor = Redactor::new();
    let reporter = Reporter::new(redactor.clone())
        .console(ConsoleStyle::detect())
        .outputs(&args.output);
    let mut results: Vec<RunResult> = Vec::new();
    for (mut target, mock) in each_target(&args.select, &suite).await? {
        let schemas = match &args.spec {
            Some(path) => SchemaSet::from_spec_file(path)?,
            None => SchemaSet::builtin(target.profile),
        };
        let generation = at_depth(generation, args.select.depth, &target);
        target.subscriptions.sweep |= args.sweep_subscriptions;
        let sweeping = target.subscriptions.sweep && target.profile.is_subscriptions();
        let run = RunBuilder::new(target)
            .schemas(schemas)
            .reporter(reporter.clone())
            .generation(generation)
            .strict(args.strict)
            .tags(args.select.tags.clone())
            .max_requests(args.max_requests)
            .record_exchanges(args.output.record.is_some())
            .build()?;
        if sweeping {
            eprintln!("{}", redactor.redact(&sweep_report(&run.sweep().await)));
        }
        let outcome = run
            .execute_unless(&suite, interruption.arrived(), CLEAN_UP_WITHIN)
            .await;
        if let Some(mock) = mock {
            mock.server.shutdown().await;
        }
        match outcome {
            Ok(result) => results.push(result),
            Err(interrupted) => {
                eprintln!("{}", redactor.redact(&interrupted_report(&interrupted)));
                return Ok(EXIT_INTERRUPTED);
            }
        }
    }
    reporter.finish()?;
    Ok(exit_code(Conclusion::overall(&results)))
}

/// What a sweep did, in a few lines.
fn sweep_report(sweep: &Sweep) -> String {
    let Some(base) = &sweep.recognised_by else {
        return "sweep: nothing swept: the sink listens on a port picked at start, so no earlier \
                run can be recognised; set subscriptions.sink_url or a fixed sink_bind port"
            .to_owned();
    };
    let mut out = format!(
        "sweep: deleted {} leftover subscription(s) of sinks under {base}; left {} of other sinks alone",
        sweep.deleted.len(),
        sweep.others
    );
    for problem in &sweep.problems {
        out.push_str(&format!("\n  - {problem}"));
    }
    out
}

/// What an interrupted run did, in a few lines.
fn interrupted_report(interrupted: &Interrupted) -> String {
    let mut out = format!(
        "\ninterrupted: no more scenarios started; clean-up deleted {} subscription(s) the run created",
        interrupted.deleted
    );
    if !interrupted.leftovers.is_empty() {
        out.push_str("\nleft on the target (delete by hand):");
        for line in &interrupted.leftovers {
            out.push_str(&format!("\n  - {line}"));
        }
    }
    out
}

async fn list(args: SelectArgs) -> Result<i32, CliError> {
    let suite = suite(&args)?;
    let generation = environment::generation_settings()?;
    for (target, mock) in each_target(&args, &suite).await? {
        let schemas = SchemaSet::builtin(target.profile);
        let generation = at_depth(generation, args.depth, &target);
        let planned = runner::plan(&suite, &target, &schemas, args.tags.as_ref(), &generation);
        print!(
            "{}",
            crate::list::render(&target, &planned, generation.depth)
        );
        if let Some(mock) = mock {
            mock.server.shutdown().await;
        }
    }
    Ok(EXIT_OK)
}

/// `generation` at the depth `--depth` gives, else the target file's `[run] depth`, else
/// the default.
fn at_depth(
    generation: GenerationSettings,
    flag: Option<Depth>,
    target: &Target,
) -> GenerationSettings {
    GenerationSettings {
        depth: flag.or(target.depth).unwrap_or_default(),
        ..generation
    }
}

/// The `docs` command: writes the generated pages, or with `--check` compares them.
async fn docs(args: DocsArgs) -> Result<i32, CliError> {
    eprintln!("running the self-test matrix for its table (every profile)...");
    let pages = crate::docs::all_pages().await?;
    if args.check {
        let problems = crate::docs::check(&args.dir, &pages);
        for problem in &problems {
            eprintln!("{problem}");
        }
        if problems.is_empty() {
            println!(
                "{} pages in {} are up to date",
                pages.len(),
                args.dir.display()
            );
            return Ok(EXIT_OK);
        }
        return Ok(EXIT_FAILED);
    }
    for path in crate::docs::write(&args.dir, &pages)? {
        println!("wrote {}", path.display());
    }
    Ok(EXIT_OK)
}

async fn mock(args: MockArgs) -> Result<i32, CliError> {
    if args.list_faults {
        for fault in Fault::ALL {
            let profiles = Profile::names_where(|p| fault.applies_to(p));
            println!("{:<34} {} [{profiles}]", fault.name(), fault.description());
        }
        return Ok(EXIT_OK);
    }
    if args.list_variations {
        for variation in Variation::ALL {
            let profiles = Profile::names_where(|p| variation.applies_to(p));
            println!(
                "{:<34} {} [{profiles}] legal by: {}",
                variation.name(),
                variation.description(),
                variation.clause()
            );
        }
        return Ok(EXIT_OK);
    }
    let devices = match &args.devices {
        Some(path) => DeviceRegistry::from_toml_file(path)?,
        None => DeviceRegistry::lab(),
    };
    let options = MockOptions {
        profile: args.profile,
        port: args.port,
        latency: std::time::Duration::from_millis(args.latency_ms),
        faults: args.faults,
        variations: args.variations,
        devices,
        quota_per_token: args.quota,
        rate_limit_per_second: args.rate_limit,
        client_auth: args.client_auth.into(),
        jwt_access_tokens: args.jwt_access_tokens,
        ciba: MockCiba {
            pending_polls: args.ciba_pending_polls,
            approve: !args.ciba_deny,
            ..MockCiba::default()
        },
    };
    let server = MockServer::start(options).await?;
    println!(
        "# reachability-conformance mock ({}) listening on {}",
        args.profile,
        server.api_root()
    );
    println!("# Save the target file below, export the variables, then run:");
    println!("#   reachability-conformance run --target mock-target.toml");
    for (name, value) in server.secret_env() {
        println!("# export {name}={}", shell_quote(&value));
    }
    println!("{}", server.target_toml());
    println!("# Ready: Ctrl-C stops the mock.");
    let _ = std::io::stdout().flush();
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
    server.shutdown().await;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::{Conclusion, exit_code, shell_quote};

    #[test]
    fn each_conclusion_has_its_exit_code() {
        assert_eq!(exit_code(Conclusion::Conformant), 0);
        assert_eq!(exit_code(Conclusion::NotConformant), 1);
        assert_eq!(exit_code(Conclusion::CouldNotTest), 3);
        assert_eq!(exit_code(Conclusion::NothingRan), 3);
    }

    #[test]
    fn shell_quote_keeps_plain_values_in_single_quotes_and_escapes_the_rest() {
        assert_eq!(shell_quote("Basic ZGVtbw=="), "'Basic ZGVtbw=='");
        assert_eq!(
            shell_quote("-----BEGIN KEY-----\nAb'c\\d\n"),
            r"$'-----BEGIN KEY-----\nAb\'c\\d\n'"
        );
    }
}
