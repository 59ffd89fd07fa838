//! Request budgets: the depth sets how many generated cases a step sends (and `plan`
//! counts them exactly), `max_requests` runs the cheapest scenarios and reports the rest
//! as not run, and scenarios sending the same request share one exchange.

use reachability_conformance::embedded::{EmbeddedMock, start_embedded_mock};
use reachability_harness::Api;
use reachability_harness::negative::{Depth, GenerationSettings};
use reachability_harness::report::Status;
use reachability_harness::runner::{self, RunBuilder, Suite, TagFilter};
use reachability_harness::schema::SchemaSet;

async fn orange() -> EmbeddedMock {
    start_embedded_mock(Api::OrangeLabV0.current(), &[], 0, None)
        .await
        .unwrap()
}

fn at(depth: Depth) -> GenerationSettings {
    GenerationSettings {
        depth,
        ..GenerationSettings::drawn()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_depth_sets_the_cases_and_the_plan_counts_them() {
    let mock = orange().await;
    let suite = Suite::embedded().unwrap();
    let tags: TagFilter = "@reachability_v0_30_generated_phone_numbers"
        .parse()
        .unwrap();
    let mut counts = Vec::new();
    for depth in Depth::ALL {
        let planned = runner::plan(
            &suite,
            &mock.target,
            &SchemaSet::builtin(Api::OrangeLabV0.current()),
            Some(&tags),
            &at(depth),
        );
        let [scenario] = &planned[..] else {
            panic!("one scenario: {planned:?}")
        };
        let run = RunBuilder::new(mock.target.clone())
            .tags(Some(tags.clone()))
            .generation(at(depth))
            .build()
            .unwrap();
        let result = run.execute(&suite).await;
        assert_eq!(result.scenarios[0].status, Status::Passed, "{depth}");
        assert_eq!(
            result.scenarios[0].exchanges.len(),
            scenario.requests,
            "{depth}: the plan counts what the run sends"
        );
        counts.push(scenario.requests);
    }
    mock.server.shutdown().await;
    // The step writes 50; quick sends one per class, standard two more, deep the 50.
    let classes = counts[0];
    assert!(classes >= 3, "{counts:?}");
    assert_eq!(counts, [classes, classes + 2, 50]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_budget_runs_the_cheapest_and_reports_the_rest_as_not_run() {
    let mock = orange().await;
    let suite = Suite::embedded().unwrap();
    let budget = 12;
    let run = RunBuilder::new(mock.target.clone())
        .max_requests(Some(budget))
        .build()
        .unwrap();
    let planned = run.plan(&suite);
    let result = run.execute(&suite).await;
    mock.server.shutdown().await;

    let reason =
        format!("not run: request budget of {budget} reached (raise --max-requests to run it)");
    let (not_run, ran): (Vec<_>, Vec<_>) = result
        .scenarios
        .iter()
        .partition(|s| s.reason.as_deref() == Some(reason.as_str()));
    assert!(!ran.is_empty() && !not_run.is_empty());
    assert_eq!(result.scenarios.len(), planned.len());
    assert!(not_run.iter().all(|s| s.status == Status::Errored));
    assert!(not_run.iter().all(|s| s.exchanges.is_empty()));
    assert_eq!(result.count(Status::Failed), 0);
    assert!(
        result.requests_sent() <= budget,
        "{}",
        result.requests_sent()
    );
    // Cheapest first: no scenario run plans more requests than one left out (advisory
    // scenarios, which cannot fail, come after the others).
    let cost = |label: &str| {
        planned
            .iter()
            .find(|p| p.id.as_deref() == Some(label))
            .map(|p| (p.advisory.is_some(), p.requests))
            .unwrap()
    };
    let dearest_run = ran.iter().map(|s| cost(s.label())).max().unwrap();
    let cheapest_left = not_run.iter().map(|s| cost(s.label())).min().unwrap();
    assert!(
        dearest_run <= cheapest_left,
        "{dearest_run:?} > {cheapest_left:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn scenarios_sending_the_same_request_share_one_exchange() {
    let mock = orange().await;
    let suite = Suite::embedded().unwrap();
    // Both send a valid request for the data device with a valid token.
    let tags: TagFilter =
        "@reachability_v0_01_connected_data or @reachability_v0_06_correlator_echo"
            .parse()
            .unwrap();
    let run = RunBuilder::new(mock.target.clone())
        .tags(Some(tags))
        .build()
        .unwrap();
    let result = run.execute(&suite).await;
    mock.server.shutdown().await;

    assert_eq!(result.count(Status::Passed), 2, "{:?}", result.scenarios);
    let exchanges: Vec<_> = result
        .scenarios
        .iter()
        .flat_map(|s| s.exchanges.iter().map(move |e| (s.label(), e)))
        .collect();
    assert_eq!(exchanges.len(), 2);
    assert_eq!(
        result.requests_sent(),
        1,
        "one request served both scenarios"
    );
    let (user, shared) = exchanges
        .iter()
        .find(|(_, e)| e.get("shared_from").is_some())
        .unwrap();
    let (owner, _) = exchanges.iter().find(|(label, _)| label != user).unwrap();
    assert_eq!(
        shared["shared_from"],
        format!("the shared exchange of scenario {owner}").as_str()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_that_does_not_record_still_counts_the_requests_it_sent() {
    let mock = orange().await;
    let suite = Suite::embedded().unwrap();
    let tags: TagFilter = "@reachability_v0_01_connected_data or @reachability_v0_06_correlator_echo or @reachability_v0_30_generated_phone_numbers"
        .parse()
        .unwrap();
    let mut runs = Vec::new();
    for record in [true, false] {
        let run = RunBuilder::new(mock.target.clone())
            .tags(Some(tags.clone()))
            .generation(GenerationSettings {
                seed: 7,
                ..at(Depth::Quick)
            })
            .record_exchanges(record)
            .build()
            .unwrap();
        runs.push(run.execute(&suite).await);
    }
    mock.server.shutdown().await;
    let [recorded, unrecorded] = &runs[..] else {
        unreachable!()
    };
    for (with, without) in recorded.scenarios.iter().zip(&unrecorded.scenarios) {
        assert_eq!(with.label(), without.label());
        assert_eq!(with.status, Status::Passed, "{with:?}");
        assert_eq!(without.status, Status::Passed, "{without:?}");
        let sent = with
            .exchanges
            .iter()
            .filter(|e| e.get("shared_from").is_none())
            .count();
        assert_eq!(with.requests_sent, sent, "{}", with.label());
        assert_eq!(without.requests_sent, sent, "{}", with.label());
        assert!(without.exchanges.is_empty(), "{}", with.label());
    }
    // One shared exchange between the first two; the generated scenario sends its cases.
    assert_eq!(recorded.requests_sent(), unrecorded.requests_sent());
    assert!(recorded.requests_sent() > 2);
}
