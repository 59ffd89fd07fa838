@camara-v1
Feature: CAMARA Device Reachability Status API, v1 - Operation getReachabilityStatus: reachability states
  # Input to be provided by the implementation to the tester
  #
  # Implementation indications:
  # * api_root: API root of the server URL (target file)
  #
  # Testing assets (target file [devices]):
  # * data: a device reachable by DATA only
  # * sms: a device reachable by SMS only
  # * data_and_sms: a device reachable by DATA and SMS
  # * not_connected: a device known to the network but not connected
  #
  # References to OAS spec schemas refer to schemas specified in device-reachability-status.yaml, v1.0.0

  Background: Common getReachabilityStatus setup
    Given the resource "{api-root}/device-reachability-status/v1/retrieve" set as base-url
    And the header "Content-Type" is set to "application/json"
    And the header "Authorization" is set to a valid access token
    And the header "x-correlator" is set to a UUID value
    And the request body is set by default to a request body compliant with the schema "#/components/schemas/RequestReachabilityStatus"

  @reachability_v1_01_connected_sms_only
  Scenario: A device connected for SMS only is reachable by SMS and not by DATA
    Required by: CAMARA plan v1.0.0 @device_reachability_status_01_reachable_and_connected_sms
    Required by: OAS v1.0.0 #/paths/~1retrieve/post/responses/200
    Required by: OAS v1.0.0 #/info/description §Relevant terms and definitions
    Given the device is connected with sms and supported by the service
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response header "Content-Type" is "application/json"
    And the response header "x-correlator" has same value as the request header "x-correlator"
    And the response body complies with the OAS schema at "#/components/schemas/ReachabilityStatusResponse"
    And the response property "$.reachable" is true
    And the response property "$.connectivity" includes "SMS"
    And the response property "$.connectivity" does not include "DATA"
    And if the response property "$.lastStatusTime" is present, then the value has a valid date-time format

  @reachability_v1_02_connected_data_only
  Scenario: A device connected for DATA only is reachable by DATA and not by SMS
    Required by: CAMARA plan v1.0.0 @device_reachability_status_02_reachable_and_connected_data
    Required by: OAS v1.0.0 #/paths/~1retrieve/post/responses/200
    Required by: OAS v1.0.0 #/info/description §Relevant terms and definitions
    Given the device has data connectivity and is supported by the service
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response header "Content-Type" is "application/json"
    And the response header "x-correlator" has same value as the request header "x-correlator"
    And the response body complies with the OAS schema at "#/components/schemas/ReachabilityStatusResponse"
    And the response property "$.reachable" is true
    And the response property "$.connectivity" includes "DATA"
    And the response property "$.connectivity" does not include "SMS"
    And if the response property "$.lastStatusTime" is present, then the value has a valid date-time format

  @reachability_v1_03_connected_data_and_sms
  Scenario: A device connected for DATA and SMS is reachable by both
    Required by: CAMARA plan v1.0.0 @device_reachability_status_03_reachable_and_connected_data_and_sms
    Required by: OAS v1.0.0 #/paths/~1retrieve/post/responses/200
    Given the device has both data and sms connectivity, and is supported by the service
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response header "Content-Type" is "application/json"
    And the response header "x-correlator" has same value as the request header "x-correlator"
    And the response body complies with the OAS schema at "#/components/schemas/ReachabilityStatusResponse"
    And the response property "$.reachable" is true
    And the response property "$.connectivity" includes both "DATA" and "SMS"
    And if the response property "$.lastStatusTime" is present, then the value has a valid date-time format

  @reachability_v1_04_not_connected
  Scenario: A device that is not connected is unreachable and has no connectivity
    Required by: CAMARA plan v1.0.0 @device_reachability_status_04_not_reachable
    Required by: OAS v1.0.0 #/paths/~1retrieve/post/responses/200
    Given the device is supported by the service, but is not connected to the API provider's network
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response header "Content-Type" is "application/json"
    And the response header "x-correlator" has same value as the request header "x-correlator"
    And the response body complies with the OAS schema at "#/components/schemas/ReachabilityStatusResponse"
    And the response property "$.reachable" is false
    And the response property "$.connectivity" is not present
    And if the response property "$.lastStatusTime" is present, then the value has a valid date-time format

  @reachability_v1_05_no_correlator_sent
  Scenario: A request without x-correlator is answered normally
    Required by: OAS v1.0.0 #/components/parameters/x-correlator
    Required by: OAS v1.0.0 #/paths/~1retrieve/post/responses/200
    Given the header "x-correlator" is removed
    And the device has data connectivity and is supported by the service
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response body complies with the OAS schema for this operation and status code
    And the response property "$.reachable" is true

  @reachability_v1_06_last_status_time_required @camara-v1.1 @camara-v1.2-rc
  Scenario: Every answer carries lastStatusTime, a time in the past with its zone
    Required by: CAMARA plan v1.1.0 @device_reachability_status_02_reachable_and_connected_data
    Required by: OAS v1.1.0 #/components/schemas/ReachabilityStatusResponse
    Required by: OAS v1.1.0 #/components/schemas/LastStatusTime
    Given the device has data connectivity and is supported by the service
    And the request body is set to a valid request body
    When the request "getReachabilityStatus" is sent
    Then the response status code is 200
    And the response property "$.lastStatusTime" is present and has a valid date-time format for a time in the past
    And the response property "$.device" holds exactly one of the request's device identifiers
