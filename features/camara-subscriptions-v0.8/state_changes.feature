@camara-subscriptions-v0.8
Feature: CAMARA Device Reachability Status Subscriptions API, v0.8.0 - events of a device's state change
  # Input to be provided by the implementation to the tester
  #
  # Testing assets (target file [devices], [auth] and [subscriptions]):
  # * data: a device reachable by DATA only; sms: a device reachable by SMS only;
  #   not_connected: a device that is not connected
  # * [subscriptions] state_change_hook: a command or an HTTP call that changes a testing
  #   device's state; without it these scenarios are skipped, naming the key
  #
  # A scenario that changes a device's state runs alone (no other subscriptions scenario
  # runs meanwhile), so no other scenario sees its change; each changes one connectivity
  # off and on (or on and off), leaving the device as it found it, even when its check
  # fails. The event must come after the last change: one sent for the device's previous
  # state does not count.

  Background: Common subscriptions setup
    Given the resource "{api-root}/device-reachability-status-subscriptions/v0.8/subscriptions" set as base-url
    And the header "Content-Type" is set to "application/json"
    And the header "Authorization" is set to a valid access token
    And the header "x-correlator" is set to a UUID value

  @subscriptions_06_data_gained
  Scenario: A device that gains data connectivity gives a reachability-data event
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_03_receive_notification_when_device_reachability_changed_to_data_usage
    Required by: OAS v0.8.0 #/components/schemas/EventReachabilityData
    Given the request body is a subscription request for "reachability-data" events of the testing device data
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 201 or 202
    And the subscription becomes active
    When the device loses data connectivity
    And the device gains data connectivity
    Then a "reachability-data" notification is received

  @subscriptions_07_sms_gained
  Scenario: A device that gains SMS connectivity only gives a reachability-sms event
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_04_receive_notification_when_device_reachability_changed_to_sms_usage
    Required by: OAS v0.8.0 #/components/schemas/EventReachabilitySms
    Given the request body is a subscription request for "reachability-sms" events of the testing device sms
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 201 or 202
    And the subscription becomes active
    When the device loses sms connectivity
    And the device gains sms connectivity
    Then a "reachability-sms" notification is received

  @subscriptions_08_disconnected
  Scenario: A device that loses all connectivity gives a reachability-disconnected event
    Required by: CAMARA plan v0.8.0 @reachability_status_subscriptions_05_receive_notification_when_device_reachability_changed_to_disconnected
    Required by: OAS v0.8.0 #/components/schemas/EventReachabilityDisconnected
    Given the request body is a subscription request for "reachability-disconnected" events of the testing device not_connected
    When the request "createDeviceReachabilityStatusSubscription" is sent
    Then the response status code is 201 or 202
    And the subscription becomes active
    When the device gains data connectivity
    And the device loses all connectivity
    Then a "reachability-disconnected" notification is received
