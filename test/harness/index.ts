export { runNode, registerNodeType, nodeTypes, type RunNodeOptions, type RunNodeResult, type TestCredential } from './workflow';
export { TestCredentialsHelper, credentialTypes } from './credentials';
