//! The sentences of the subscriptions steps, appended to the vocabulary's table.

use super::SubscriptionStep;
use crate::steps::vocabulary::{
    Action, Build, Q, VocabularyError, arg, either_status, testing_device,
};

fn step(step: SubscriptionStep) -> Result<Action, VocabularyError> {
    Ok(Action::Subscription(step))
}

/// (pattern, builder) pairs of the subscriptions steps.
pub(crate) fn patterns() -> Vec<(String, Build)> {
    let p = |s: &str| s.replace("{Q}", Q);
    vec![
        (
            p(
                r"the request body is a subscription request for {Q} events of the testing device (data|sms|data_and_sms|not_connected)",
            ),
            |c, _| {
                step(SubscriptionStep::RequestFor {
                    kind: arg(c, 1),
                    device: testing_device(&arg(c, 2))?,
                })
            },
        ),
        (
            p(r"the subscription id is one no subscription has"),
            |_, _| step(SubscriptionStep::UnknownId),
        ),
        (p(r"the subscription becomes active"), |_, _| {
            step(SubscriptionStep::BecomesActive)
        }),
        (
            p(r#"a "subscription-ended" notification with termination reason {Q} is received"#),
            |c, _| step(SubscriptionStep::Ends(arg(c, 1))),
        ),
        (p(r"a {Q} notification is received"), |c, _| {
            step(SubscriptionStep::Receives(arg(c, 1)))
        }),
        (
            p(r"no notification is received after the subscription ended"),
            |_, _| step(SubscriptionStep::NothingAfterEnd),
        ),
        (p(r"no reachability notification is received"), |_, _| {
            step(SubscriptionStep::NoReachabilityEvent)
        }),
        (
            p(r"the response status code is (\d{3}) or (\d{3})"),
            either_status,
        ),
        (
            p(r"the request body property {Q} is set to a time (\d{1,4}) seconds from now"),
            |c, _| {
                let seconds: i64 = arg(c, 2)
                    .parse()
                    .map_err(|_| VocabularyError("seconds must be a number".into()))?;
                step(SubscriptionStep::TimeFromNow {
                    path: arg(c, 1),
                    seconds,
                })
            },
        ),
        (
            p(
                r"the device (gains data connectivity|gains sms connectivity|loses all connectivity|loses data connectivity|loses sms connectivity)",
            ),
            |c, _| step(SubscriptionStep::StateChange(arg(c, 1))),
        ),
    ]
}
