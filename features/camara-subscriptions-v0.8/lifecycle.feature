@camara-subscriptions-v0.8
Feature: CAMARA Device Reachability Status Subscriptions API, v0.8.0 - subscriptions and their notifications
  # Input to be provided by the implementation to the tester
  #
  # Testing assets (target file [devices], [auth] and [subscriptions]):
  # * data: a device reachable by DATA; not_connected: a device that is not connected
  # * auth.scope: the create, read and delete scopes of the subscriptions API
  # * [subscriptions]: where the harness's sink listens (sink_bind, sink_url) and how long
  #   it waits (event_timeout_s, quiet_window_ms); the implementation must reach the sink
  #
  # Every subscription request carries a sink of the harness and a random sinkCredential
  # (ACCESSTOKEN, bearer); every subscription a run creates is deleted at its end.

  Background: Common subscriptions setup
    Given the resource "{api-root}/device-reachability-status-subscriptions/v0.8/subscriptions" set as base-url
    And the header "Content-Type" is set to "application/json"
    And the header "Authorization" is set to a valid access token
    And the header "x-correlator" is set to a UUID value

  @subscriptions_01_create_sync_or_async
  Scenario: A subscription is created, without echoing its sink credential
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_01.1_sync_creation_2legs
    Required by: OAS v0.8.0 #/components/schemas/Subscription
    Required by: OAS v0.8.0 #/components/schemas/SinkCredential
    Given the request body is a subscription request for "reachability-data" events of the testing device data
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 201 or 202
    And the response header "x-correlator" has same value as the request header "x-correlator"
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.id" is present
    And the response property "$.sinkCredential" is not present
    And the subscription becomes active

  @subscriptions_02_initial_event_max_events
  Scenario: initialEvent with subscriptionMaxEvents 1 gives one event, then subscription-ended MAX_EVENTS_REACHED
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_07_subscription_end_when_max_events
    Required by: OAS v0.8.0 #/components/schemas/Config
    Required by: OAS v0.8.0 #/components/schemas/SubscriptionEnded
    Required by: OAS v0.8.0 #/components/schemas/CloudEvent
    Required by: CloudEvents 1.0 §3.1
    Required by: CloudEvents 1.0 HTTP binding §3.2
    Given the request body is a subscription request for "reachability-data" events of the testing device data
    And the request body property "$.config.initialEvent" is set to true
    And the request body property "$.config.subscriptionMaxEvents" is set to 1
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 201 or 202
    And a "reachability-data" notification is received
    And a "subscription-ended" notification with termination reason "MAX_EVENTS_REACHED" is received
    And no notification is received after the subscription ended

  @subscriptions_03_initial_event_only_when_matching
  Scenario: initialEvent sends no reachability event when the device's state does not match the type
    Required by: OAS v0.8.0 #/components/schemas/Config
    Given the request body is a subscription request for "reachability-data" events of the testing device not_connected
    And the request body property "$.config.initialEvent" is set to true
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 201 or 202
    And no reachability notification is received

  @subscriptions_04_expiry
  Scenario: A short subscriptionExpireTime ends the subscription with SUBSCRIPTION_EXPIRED
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_06_subscription_expiry
    Required by: OAS v0.8.0 #/components/schemas/TerminationReason
    Given the request body is a subscription request for "reachability-sms" events of the testing device data
    And the request body property "$.config.subscriptionExpireTime" is set to a time 2 seconds from now
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 201 or 202
    And a "subscription-ended" notification with termination reason "SUBSCRIPTION_EXPIRED" is received
    And no notification is received after the subscription ended

  @subscriptions_05_delete
  Scenario: Deleting a subscription ends it with SUBSCRIPTION_DELETED, and it is gone
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_02_subscription_delete_event_validation
    Required by: OAS v0.8.0 #/components/schemas/TerminationReason
    Given the request body is a subscription request for "reachability-disconnected" events of the testing device data
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 201 or 202
    And the subscription becomes active
    When the request "deleteDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 204 or 202
    And a "subscription-ended" notification with termination reason "SUBSCRIPTION_DELETED" is received
    And no notification is received after the subscription ended
    When the request "retrieveDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 404
    And the response property "$.code" is "NOT_FOUND"
