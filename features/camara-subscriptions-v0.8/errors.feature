@camara-subscriptions-v0.8
Feature: CAMARA Device Reachability Status Subscriptions API, v0.8.0 - error codes
  # Testing assets: devices.data; auth.no_scope_scope (a scope without the subscriptions scopes)

  Background: Common subscriptions setup
    Given the resource "{api-root}/device-reachability-status-subscriptions/v0.8/subscriptions" set as base-url
    And the header "Content-Type" is set to "application/json"
    And the header "Authorization" is set to a valid access token
    And the header "x-correlator" is set to a UUID value
    And the request body is a subscription request for "reachability-data" events of the testing device data

  @subscriptions_400_01_invalid_protocol
  Scenario: A protocol other than HTTP is INVALID_PROTOCOL
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_400.4_invalid_protocol
    Required by: OAS v0.8.0 #/components/responses/CreateSubscriptionBadRequest400
    Given the request body property "$.protocol" is set to "MQTT3"
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 400
    And the response property "$.code" is "INVALID_PROTOCOL"
    And the response property "$.message" contains a user friendly text

  @subscriptions_400_02_invalid_credential
  Scenario: A credential type other than ACCESSTOKEN is INVALID_CREDENTIAL
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_400.5_create_subscription_with_invalid_credential_type
    Required by: OAS v0.8.0 #/components/responses/CreateSubscriptionBadRequest400
    Given the request body property "$.sinkCredential.credentialType" is set to "PLAIN"
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 400
    And the response property "$.code" is "INVALID_CREDENTIAL"

  @subscriptions_400_03_invalid_token
  Scenario: An access token type other than bearer is INVALID_TOKEN
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_400.6_create_subscription_with_invalid_access_token_type
    Required by: OAS v0.8.0 #/components/responses/CreateSubscriptionBadRequest400
    Given the request body property "$.sinkCredential.accessTokenType" is set to "mac"
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 400
    And the response property "$.code" is "INVALID_TOKEN"

  @subscriptions_400_04_invalid_sink
  Scenario: A sink that is not a URL is INVALID_SINK
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_400.7_create_subscription_with_invalid_sink_url
    Required by: OAS v0.8.0 #/components/responses/CreateSubscriptionBadRequest400
    Given the request body property "$.sink" is set to "azerty"
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 400
    And the response property "$.code" is "INVALID_SINK"

  @subscriptions_400_05_expiry_in_the_past
  Scenario: An expiry time in the past is INVALID_ARGUMENT
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_400.2_create_subscription_with_invalid_subscription_expire_time
    Given the request body property "$.config.subscriptionExpireTime" is set to "2020-01-01T00:00:00Z"
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 400
    And the response property "$.code" is "INVALID_ARGUMENT"

  @subscriptions_422_01_multievent
  Scenario: Several event types are MULTIEVENT_SUBSCRIPTION_NOT_SUPPORTED
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_422.1_multi_event_not_supported
    Required by: OAS v0.8.0 #/components/responses/CreateSubscriptionUnprocessableEntity422
    Given the request body property "$.types" is set to ["org.camaraproject.device-reachability-status-subscriptions.v0.reachability-data", "org.camaraproject.device-reachability-status-subscriptions.v0.reachability-sms"]
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 422
    And the response property "$.code" is "MULTIEVENT_SUBSCRIPTION_NOT_SUPPORTED"

  @subscriptions_401_01_no_token
  Scenario: No Authorization header is UNAUTHENTICATED
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_creation_401.1_no_authorization_header
    Required by: OAS v0.8.0 #/components/responses/Generic401
    Given the header "Authorization" is removed
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 401
    And the response property "$.code" is "UNAUTHENTICATED"

  @subscriptions_403_01_no_scope
  Scenario: A token without the create scope is PERMISSION_DENIED
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_create_403.1_permission_denied
    Required by: OAS v0.8.0 #/components/responses/SubscriptionPermissionDenied403
    Given the header "Authorization" is set to an access token not including scope "device-reachability-status-subscriptions:org.camaraproject.device-reachability-status-subscriptions.v0.reachability-data:create"
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 403
    And the response property "$.code" is "PERMISSION_DENIED"

  @subscriptions_404_01_retrieve_unknown
  Scenario: Retrieving an unknown subscription is NOT_FOUND
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_404.1_retrieve_unknown_subscription_id
    Required by: OAS v0.8.0 #/components/responses/Generic404
    Given the subscription id is one no subscription has
    When the request "retrieveDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 404
    And the response property "$.code" is "NOT_FOUND"

  @subscriptions_404_02_delete_unknown
  Scenario: Deleting an unknown subscription is NOT_FOUND
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_404.2_delete_unknown_subscription_id
    Required by: OAS v0.8.0 #/components/responses/Generic404
    Given the subscription id is one no subscription has
    When the request "deleteDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 404
    And the response property "$.code" is "NOT_FOUND"
