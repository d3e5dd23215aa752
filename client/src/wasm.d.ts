// The build's file loader turns an imported .wasm into the URL of a content-hashed copy (angular.json).
declare module '*.wasm' {
  const url: string;
  export default url;
}
