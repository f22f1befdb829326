/* furby-connect-card: built from card/src by `npm run build` (esbuild); do not edit. */
var re=Object.defineProperty;var ae=(s,t,e)=>t in s?re(s,t,{enumerable:!0,configurable:!0,writable:!0,value:e}):s[t]=e;var u=(s,t,e)=>ae(s,typeof t!="symbol"?t+"":t,e);var z=globalThis,B=z.ShadowRoot&&(z.ShadyCSS===void 0||z.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,Z=Symbol(),bt=new WeakMap,k=class{constructor(t,e,i){if(this._$cssResult$=!0,i!==Z)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=t,this.t=e}get styleSheet(){let t=this.o,e=this.t;if(B&&t===void 0){let i=e!==void 0&&e.length===1;i&&(t=bt.get(e)),t===void 0&&((this.o=t=new CSSStyleSheet).replaceSync(this.cssText),i&&bt.set(e,t))}return t}toString(){return this.cssText}},vt=s=>new k(typeof s=="string"?s:s+"",void 0,Z),tt=(s,...t)=>{let e=s.length===1?s[0]:t.reduce((i,n,o)=>i+(r=>{if(r._$cssResult$===!0)return r.cssText;if(typeof r=="number")return r;throw Error("Value passed to 'css' function must be a 'css' function result: "+r+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(n)+s[o+1],s[0]);return new k(e,s,Z)},yt=(s,t)=>{if(B)s.adoptedStyleSheets=t.map(e=>e instanceof CSSStyleSheet?e:e.styleSheet);else for(let e of t){let i=document.createElement("style"),n=z.litNonce;n!==void 0&&i.setAttribute("nonce",n),i.textContent=e.cssText,s.appendChild(i)}},et=B?s=>s:s=>s instanceof CSSStyleSheet?(t=>{let e="";for(let i of t.cssRules)e+=i.cssText;return vt(e)})(s):s;var{is:le,defineProperty:ce,getOwnPropertyDescriptor:he,getOwnPropertyNames:de,getOwnPropertySymbols:ue,getPrototypeOf:pe}=Object,V=globalThis,wt=V.trustedTypes,fe=wt?wt.emptyScript:"",ge=V.reactiveElementPolyfillSupport,R=(s,t)=>s,st={toAttribute(s,t){switch(t){case Boolean:s=s?fe:null;break;case Object:case Array:s=s==null?s:JSON.stringify(s)}return s},fromAttribute(s,t){let e=s;switch(t){case Boolean:e=s!==null;break;case Number:e=s===null?null:Number(s);break;case Object:case Array:try{e=JSON.parse(s)}catch{e=null}}return e}},St=(s,t)=>!le(s,t),xt={attribute:!0,type:String,converter:st,reflect:!1,useDefault:!1,hasChanged:St};Symbol.metadata??=Symbol("metadata"),V.litPropertyMetadata??=new WeakMap;var _=class extends HTMLElement{static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(t,e=xt){if(e.state&&(e.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(t)&&((e=Object.create(e)).wrapped=!0),this.elementProperties.set(t,e),!e.noAccessor){let i=Symbol(),n=this.getPropertyDescriptor(t,i,e);n!==void 0&&ce(this.prototype,t,n)}}static getPropertyDescriptor(t,e,i){let{get:n,set:o}=he(this.prototype,t)??{get(){return this[e]},set(r){this[e]=r}};return{get:n,set(r){let a=n?.call(this);o?.call(this,r),this.requestUpdate(t,a,i)},configurable:!0,enumerable:!0}}static getPropertyOptions(t){return this.elementProperties.get(t)??xt}static _$Ei(){if(this.hasOwnProperty(R("elementProperties")))return;let t=pe(this);t.finalize(),t.l!==void 0&&(this.l=[...t.l]),this.elementProperties=new Map(t.elementProperties)}static finalize(){if(this.hasOwnProperty(R("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(R("properties"))){let e=this.properties,i=[...de(e),...ue(e)];for(let n of i)this.createProperty(n,e[n])}let t=this[Symbol.metadata];if(t!==null){let e=litPropertyMetadata.get(t);if(e!==void 0)for(let[i,n]of e)this.elementProperties.set(i,n)}this._$Eh=new Map;for(let[e,i]of this.elementProperties){let n=this._$Eu(e,i);n!==void 0&&this._$Eh.set(n,e)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(t){let e=[];if(Array.isArray(t)){let i=new Set(t.flat(1/0).reverse());for(let n of i)e.unshift(et(n))}else t!==void 0&&e.push(et(t));return e}static _$Eu(t,e){let i=e.attribute;return i===!1?void 0:typeof i=="string"?i:typeof t=="string"?t.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(t=>this.enableUpdating=t),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(t=>t(this))}addController(t){(this._$EO??=new Set).add(t),this.renderRoot!==void 0&&this.isConnected&&t.hostConnected?.()}removeController(t){this._$EO?.delete(t)}_$E_(){let t=new Map,e=this.constructor.elementProperties;for(let i of e.keys())this.hasOwnProperty(i)&&(t.set(i,this[i]),delete this[i]);t.size>0&&(this._$Ep=t)}createRenderRoot(){let t=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return yt(t,this.constructor.elementStyles),t}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(t=>t.hostConnected?.())}enableUpdating(t){}disconnectedCallback(){this._$EO?.forEach(t=>t.hostDisconnected?.())}attributeChangedCallback(t,e,i){this._$AK(t,i)}_$ET(t,e){let i=this.constructor.elementProperties.get(t),n=this.constructor._$Eu(t,i);if(n!==void 0&&i.reflect===!0){let o=(i.converter?.toAttribute!==void 0?i.converter:st).toAttribute(e,i.type);this._$Em=t,o==null?this.removeAttribute(n):this.setAttribute(n,o),this._$Em=null}}_$AK(t,e){let i=this.constructor,n=i._$Eh.get(t);if(n!==void 0&&this._$Em!==n){let o=i.getPropertyOptions(n),r=typeof o.converter=="function"?{fromAttribute:o.converter}:o.converter?.fromAttribute!==void 0?o.converter:st;this._$Em=n;let a=r.fromAttribute(e,o.type);this[n]=a??this._$Ej?.get(n)??a,this._$Em=null}}requestUpdate(t,e,i,n=!1,o){if(t!==void 0){let r=this.constructor;if(n===!1&&(o=this[t]),i??=r.getPropertyOptions(t),!((i.hasChanged??St)(o,e)||i.useDefault&&i.reflect&&o===this._$Ej?.get(t)&&!this.hasAttribute(r._$Eu(t,i))))return;this.C(t,e,i)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(t,e,{useDefault:i,reflect:n,wrapped:o},r){i&&!(this._$Ej??=new Map).has(t)&&(this._$Ej.set(t,r??e??this[t]),o!==!0||r!==void 0)||(this._$AL.has(t)||(this.hasUpdated||i||(e=void 0),this._$AL.set(t,e)),n===!0&&this._$Em!==t&&(this._$Eq??=new Set).add(t))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(e){Promise.reject(e)}let t=this.scheduleUpdate();return t!=null&&await t,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[n,o]of this._$Ep)this[n]=o;this._$Ep=void 0}let i=this.constructor.elementProperties;if(i.size>0)for(let[n,o]of i){let{wrapped:r}=o,a=this[n];r!==!0||this._$AL.has(n)||a===void 0||this.C(n,void 0,o,a)}}let t=!1,e=this._$AL;try{t=this.shouldUpdate(e),t?(this.willUpdate(e),this._$EO?.forEach(i=>i.hostUpdate?.()),this.update(e)):this._$EM()}catch(i){throw t=!1,this._$EM(),i}t&&this._$AE(e)}willUpdate(t){}_$AE(t){this._$EO?.forEach(e=>e.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(t)),this.updated(t)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(t){return!0}update(t){this._$Eq&&=this._$Eq.forEach(e=>this._$ET(e,this[e])),this._$EM()}updated(t){}firstUpdated(t){}};_.elementStyles=[],_.shadowRootOptions={mode:"open"},_[R("elementProperties")]=new Map,_[R("finalized")]=new Map,ge?.({ReactiveElement:_}),(V.reactiveElementVersions??=[]).push("2.1.2");var ct=globalThis,At=s=>s,W=ct.trustedTypes,Et=W?W.createPolicy("lit-html",{createHTML:s=>s}):void 0,Mt="$lit$",b=`lit$${Math.random().toFixed(9).slice(2)}$`,Tt="?"+b,me=`<${Tt}>`,x=document,T=()=>x.createComment(""),N=s=>s===null||typeof s!="object"&&typeof s!="function",ht=Array.isArray,_e=s=>ht(s)||typeof s?.[Symbol.iterator]=="function",it=`[ 	
\f\r]`,M=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,Ct=/-->/g,Lt=/>/g,y=RegExp(`>|${it}(?:([^\\s"'>=/]+)(${it}*=${it}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),Ot=/'/g,kt=/"/g,Nt=/^(?:script|style|textarea|title)$/i,dt=s=>(t,...e)=>({_$litType$:s,strings:t,values:e}),h=dt(1),Ve=dt(2),We=dt(3),S=Symbol.for("lit-noChange"),d=Symbol.for("lit-nothing"),Rt=new WeakMap,w=x.createTreeWalker(x,129);function Pt(s,t){if(!ht(s)||!s.hasOwnProperty("raw"))throw Error("invalid template strings array");return Et!==void 0?Et.createHTML(t):t}var $e=(s,t)=>{let e=s.length-1,i=[],n,o=t===2?"<svg>":t===3?"<math>":"",r=M;for(let a=0;a<e;a++){let l=s[a],p,f,c=-1,m=0;for(;m<l.length&&(r.lastIndex=m,f=r.exec(l),f!==null);)m=r.lastIndex,r===M?f[1]==="!--"?r=Ct:f[1]!==void 0?r=Lt:f[2]!==void 0?(Nt.test(f[2])&&(n=RegExp("</"+f[2],"g")),r=y):f[3]!==void 0&&(r=y):r===y?f[0]===">"?(r=n??M,c=-1):f[1]===void 0?c=-2:(c=r.lastIndex-f[2].length,p=f[1],r=f[3]===void 0?y:f[3]==='"'?kt:Ot):r===kt||r===Ot?r=y:r===Ct||r===Lt?r=M:(r=y,n=void 0);let $=r===y&&s[a+1].startsWith("/>")?" ":"";o+=r===M?l+me:c>=0?(i.push(p),l.slice(0,c)+Mt+l.slice(c)+b+$):l+b+(c===-2?a:$)}return[Pt(s,o+(s[e]||"<?>")+(t===2?"</svg>":t===3?"</math>":"")),i]},P=class s{constructor({strings:t,_$litType$:e},i){let n;this.parts=[];let o=0,r=0,a=t.length-1,l=this.parts,[p,f]=$e(t,e);if(this.el=s.createElement(p,i),w.currentNode=this.el.content,e===2||e===3){let c=this.el.content.firstChild;c.replaceWith(...c.childNodes)}for(;(n=w.nextNode())!==null&&l.length<a;){if(n.nodeType===1){if(n.hasAttributes())for(let c of n.getAttributeNames())if(c.endsWith(Mt)){let m=f[r++],$=n.getAttribute(c).split(b),F=/([.?@])?(.*)/.exec(m);l.push({type:1,index:o,name:F[2],strings:$,ctor:F[1]==="."?ot:F[1]==="?"?rt:F[1]==="@"?at:C}),n.removeAttribute(c)}else c.startsWith(b)&&(l.push({type:6,index:o}),n.removeAttribute(c));if(Nt.test(n.tagName)){let c=n.textContent.split(b),m=c.length-1;if(m>0){n.textContent=W?W.emptyScript:"";for(let $=0;$<m;$++)n.append(c[$],T()),w.nextNode(),l.push({type:2,index:++o});n.append(c[m],T())}}}else if(n.nodeType===8)if(n.data===Tt)l.push({type:2,index:o});else{let c=-1;for(;(c=n.data.indexOf(b,c+1))!==-1;)l.push({type:7,index:o}),c+=b.length-1}o++}}static createElement(t,e){let i=x.createElement("template");return i.innerHTML=t,i}};function E(s,t,e=s,i){if(t===S)return t;let n=i!==void 0?e._$Co?.[i]:e._$Cl,o=N(t)?void 0:t._$litDirective$;return n?.constructor!==o&&(n?._$AO?.(!1),o===void 0?n=void 0:(n=new o(s),n._$AT(s,e,i)),i!==void 0?(e._$Co??=[])[i]=n:e._$Cl=n),n!==void 0&&(t=E(s,n._$AS(s,t.values),n,i)),t}var nt=class{constructor(t,e){this._$AV=[],this._$AN=void 0,this._$AD=t,this._$AM=e}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(t){let{el:{content:e},parts:i}=this._$AD,n=(t?.creationScope??x).importNode(e,!0);w.currentNode=n;let o=w.nextNode(),r=0,a=0,l=i[0];for(;l!==void 0;){if(r===l.index){let p;l.type===2?p=new U(o,o.nextSibling,this,t):l.type===1?p=new l.ctor(o,l.name,l.strings,this,t):l.type===6&&(p=new lt(o,this,t)),this._$AV.push(p),l=i[++a]}r!==l?.index&&(o=w.nextNode(),r++)}return w.currentNode=x,n}p(t){let e=0;for(let i of this._$AV)i!==void 0&&(i.strings!==void 0?(i._$AI(t,i,e),e+=i.strings.length-2):i._$AI(t[e])),e++}},U=class s{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(t,e,i,n){this.type=2,this._$AH=d,this._$AN=void 0,this._$AA=t,this._$AB=e,this._$AM=i,this.options=n,this._$Cv=n?.isConnected??!0}get parentNode(){let t=this._$AA.parentNode,e=this._$AM;return e!==void 0&&t?.nodeType===11&&(t=e.parentNode),t}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(t,e=this){t=E(this,t,e),N(t)?t===d||t==null||t===""?(this._$AH!==d&&this._$AR(),this._$AH=d):t!==this._$AH&&t!==S&&this._(t):t._$litType$!==void 0?this.$(t):t.nodeType!==void 0?this.T(t):_e(t)?this.k(t):this._(t)}O(t){return this._$AA.parentNode.insertBefore(t,this._$AB)}T(t){this._$AH!==t&&(this._$AR(),this._$AH=this.O(t))}_(t){this._$AH!==d&&N(this._$AH)?this._$AA.nextSibling.data=t:this.T(x.createTextNode(t)),this._$AH=t}$(t){let{values:e,_$litType$:i}=t,n=typeof i=="number"?this._$AC(t):(i.el===void 0&&(i.el=P.createElement(Pt(i.h,i.h[0]),this.options)),i);if(this._$AH?._$AD===n)this._$AH.p(e);else{let o=new nt(n,this),r=o.u(this.options);o.p(e),this.T(r),this._$AH=o}}_$AC(t){let e=Rt.get(t.strings);return e===void 0&&Rt.set(t.strings,e=new P(t)),e}k(t){ht(this._$AH)||(this._$AH=[],this._$AR());let e=this._$AH,i,n=0;for(let o of t)n===e.length?e.push(i=new s(this.O(T()),this.O(T()),this,this.options)):i=e[n],i._$AI(o),n++;n<e.length&&(this._$AR(i&&i._$AB.nextSibling,n),e.length=n)}_$AR(t=this._$AA.nextSibling,e){for(this._$AP?.(!1,!0,e);t!==this._$AB;){let i=At(t).nextSibling;At(t).remove(),t=i}}setConnected(t){this._$AM===void 0&&(this._$Cv=t,this._$AP?.(t))}},C=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(t,e,i,n,o){this.type=1,this._$AH=d,this._$AN=void 0,this.element=t,this.name=e,this._$AM=n,this.options=o,i.length>2||i[0]!==""||i[1]!==""?(this._$AH=Array(i.length-1).fill(new String),this.strings=i):this._$AH=d}_$AI(t,e=this,i,n){let o=this.strings,r=!1;if(o===void 0)t=E(this,t,e,0),r=!N(t)||t!==this._$AH&&t!==S,r&&(this._$AH=t);else{let a=t,l,p;for(t=o[0],l=0;l<o.length-1;l++)p=E(this,a[i+l],e,l),p===S&&(p=this._$AH[l]),r||=!N(p)||p!==this._$AH[l],p===d?t=d:t!==d&&(t+=(p??"")+o[l+1]),this._$AH[l]=p}r&&!n&&this.j(t)}j(t){t===d?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,t??"")}},ot=class extends C{constructor(){super(...arguments),this.type=3}j(t){this.element[this.name]=t===d?void 0:t}},rt=class extends C{constructor(){super(...arguments),this.type=4}j(t){this.element.toggleAttribute(this.name,!!t&&t!==d)}},at=class extends C{constructor(t,e,i,n,o){super(t,e,i,n,o),this.type=5}_$AI(t,e=this){if((t=E(this,t,e,0)??d)===S)return;let i=this._$AH,n=t===d&&i!==d||t.capture!==i.capture||t.once!==i.once||t.passive!==i.passive,o=t!==d&&(i===d||n);n&&this.element.removeEventListener(this.name,this,i),o&&this.element.addEventListener(this.name,this,t),this._$AH=t}handleEvent(t){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,t):this._$AH.handleEvent(t)}},lt=class{constructor(t,e,i){this.element=t,this.type=6,this._$AN=void 0,this._$AM=e,this.options=i}get _$AU(){return this._$AM._$AU}_$AI(t){E(this,t)}};var be=ct.litHtmlPolyfillSupport;be?.(P,U),(ct.litHtmlVersions??=[]).push("3.3.3");var Ut=(s,t,e)=>{let i=e?.renderBefore??t,n=i._$litPart$;if(n===void 0){let o=e?.renderBefore??null;i._$litPart$=n=new U(t.insertBefore(T(),o),o,void 0,e??{})}return n._$AI(s),n};var ut=globalThis,v=class extends _{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let t=super.createRenderRoot();return this.renderOptions.renderBefore??=t.firstChild,t}update(t){let e=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(t),this._$Do=Ut(e,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return S}};v._$litElement$=!0,v.finalized=!0,ut.litElementHydrateSupport?.({LitElement:v});var ve=ut.litElementPolyfillSupport;ve?.({LitElement:v});(ut.litElementVersions??=[]).push("4.2.2");var L=null;function ye(s){if(!s||!Array.isArray(s.actions)||!Array.isArray(s.names))throw new Error("malformed catalog");let t=[],e=[],i=new Set;for(let n of s.actions){if(!Array.isArray(n)||n.length<6)continue;let[o,r,a,l,p,f]=n,c=String(p??""),m=String(f??"");t.push({input:o,index:r,subindex:a,specific:l,category:c,description:m,code:`${o}/${r}/${a}/${l}`,haystack:Dt(`${m} ${c} ${o}/${r}/${a}/${l}`)}),i.has(c)||(i.add(c),e.push(c))}return{actions:t,categories:e,names:s.names.map(String)}}function Dt(s){return String(s).toLowerCase().replace(/[^\p{L}\p{N}/]+/gu," ").trim()}function It(s,t,e="",i=50){let n=Dt(t).split(" ").filter(Boolean),o=[],r=0;for(let a of s.actions)e&&a.category!==e||n.every(l=>a.haystack.includes(l))&&(r+=1,o.length<i&&o.push(a));return{matches:o,total:r}}function Ht(s){if(L&&L.connection===s)return L.promise;let t={connection:s};return t.promise=new Promise((e,i)=>{let n=()=>{s.removeEventListener("disconnected",n),i(new Error("connection lost while loading the catalog"))};s.addEventListener("disconnected",n),s.sendMessagePromise({type:"furby_connect/catalog"}).then(o=>{s.removeEventListener("disconnected",n);try{e(ye(o))}catch(r){i(r)}},o=>{s.removeEventListener("disconnected",n),i(o)})}),t.promise.catch(()=>{L===t&&(L=null)}),L=t,t.promise}var j="furby-connect-card",A="furby_connect";function pt(s){if(!s||typeof s!="object")throw new Error("Invalid configuration");let{device_id:t,title:e,show_log:i=!0,log_rows:n}=s;if(typeof t!="string"||t.trim()==="")throw new Error("device_id is required: pick the Furby in the card editor");if(e!=null&&typeof e!="string")throw new Error("title must be text");if(typeof i!="boolean")throw new Error("show_log must be true or false");let o=n==null||n===""?200:Number(n);if(!Number.isInteger(o)||o<10||o>2e3)throw new Error("log_rows must be a whole number from 10 to 2000");return{...s,device_id:t.trim(),show_log:i,log_rows:o}}function we(s,t){return(s&&s.entities?Object.values(s.entities):[]).filter(i=>i&&i.device_id===t&&i.platform===A)}function Ft(s,t){let e=we(s,t).filter(n=>n.entity_id.startsWith("switch.")),i=e.find(n=>n.translation_key==="eyes")??e.find(n=>n.entity_id.endsWith("_eyes"));return i?i.entity_id:null}function zt(s){let e=(s&&s.entities?Object.values(s.entities):[]).find(i=>i&&i.platform===A&&i.device_id);return{type:`custom:${j}`,device_id:e?e.device_id:""}}var xe={device_id:"Furby",title:"Title (optional)",show_log:"Show the live log",log_rows:"Log rows kept on screen"},Se={log_rows:"10-2000; the download holds more"};function Bt(){return{schema:[{name:"device_id",required:!0,selector:{device:{filter:{integration:A}}}},{name:"title",selector:{text:{}}},{type:"grid",name:"",schema:[{name:"show_log",selector:{boolean:{}}},{name:"log_rows",selector:{number:{min:10,max:2e3,step:10,mode:"box"}}}]}],computeLabel:s=>xe[s.name],computeHelper:s=>Se[s.name],assertConfig:s=>{pt(s)}}}function Vt(s,t){let e=window.customElements;e.get(s)||e.define(s,t);let i=0,n=setInterval(()=>{i+=200;let o=window.customElements;o!==e?(o.get(s)||o.define(s,class extends t{}),clearInterval(n)):i>=6e4&&clearInterval(n)},200)}function Wt(s){window.customCards=window.customCards||[],window.customCards.some(t=>t&&t.type===s.type)||window.customCards.push(s)}var q=class{constructor({base:t=1e3,cap:e=3e4,random:i=Math.random}={}){if(!(t>0)||!(e>=t))throw new RangeError("need 0 < base <= cap");this.base=t,this.cap=e,this.random=i,this.failures=0}window(){return Math.min(this.cap,this.base*2**Math.min(this.failures,30))}next(){let t=this.random()*this.window();return this.failures+=1,t}reset(){this.failures=0}};var g=Object.freeze({IDLE:"idle",OFFLINE:"offline",SUBSCRIBING:"subscribing",LIVE:"live",RETRYING:"retrying"}),D=class{constructor({message:t,onEvent:e,onState:i=()=>{},backoff:n=new q}){this.message=t,this.onEvent=e,this.onState=i,this.backoff=n,this.connection=null,this.generation=0,this.epoch=0,this.unsub=null,this.inFlight=!1,this.timer=null,this.state=g.IDLE,this.running=!1}start(t){this.running&&t===this.connection||(this.running&&this.stop(),this.running=!0,this.connection=t,this.backoff.reset(),this.attempt())}stop(){this.running=!1,this.clearTimer(),this.generation+=1,this.inFlight=!1;let t=this.unsub;this.unsub=null,t&&jt(t),this.connection=null,this.setState(g.IDLE)}connectionLost(){this.running&&(this.clearTimer(),this.generation+=1,this.epoch+=1,this.inFlight=!1,this.unsub=null,this.setState(g.OFFLINE))}connectionReady(){!this.running||this.unsub||this.inFlight||this.timer||this.retryLater(null)}attempt(){if(this.timer=null,!this.running||this.unsub||this.inFlight)return;let t=this.connection;if(!t||!t.connected){this.setState(g.OFFLINE);return}this.generation+=1;let e=this.generation,i=this.epoch;this.inFlight=!0,this.setState(g.SUBSCRIBING);let n;try{n=t.subscribeMessage(o=>{e===this.generation&&this.onEvent(o)},this.message,{resubscribe:!1})}catch(o){n=Promise.reject(o)}Promise.resolve(n).then(o=>{if(e!==this.generation){i===this.epoch&&t.connected&&jt(o);return}this.inFlight=!1,this.unsub=o,this.backoff.reset(),this.setState(g.LIVE)},o=>{e===this.generation&&(this.inFlight=!1,this.retryLater(o))})}retryLater(t){this.clearTimer();let e=this.backoff.next();this.timer=setTimeout(()=>this.attempt(),e),this.setState(g.RETRYING,{delay:e,error:t})}clearTimer(){this.timer!==null&&clearTimeout(this.timer),this.timer=null}setState(t,e={}){this.state=t,this.onState(t,e)}};function jt(s){try{let t=s();t&&typeof t.catch=="function"&&t.catch(()=>{})}catch{}}var Ae="furby_connect/log/subscribe",Ee="furby_connect/status/subscribe",G=class{constructor({deviceId:t,onLog:e,onStatus:i,onState:n,withLog:o=!0}){this.connection=null,this.subs=[new D({message:{type:Ee,device_id:t},onEvent:i,onState:(r,a)=>n("status",r,a)})],o&&this.subs.push(new D({message:{type:Ae,device_id:t},onEvent:e,onState:(r,a)=>n("log",r,a)})),this.onDisconnected=()=>{for(let r of this.subs)r.connectionLost()},this.onReady=()=>{for(let r of this.subs)r.connectionReady()}}bind(t){if(t!==this.connection){this.unbind(),this.connection=t,t.addEventListener("disconnected",this.onDisconnected),t.addEventListener("ready",this.onReady);for(let e of this.subs)e.start(t)}}unbind(){let t=this.connection;if(t){this.connection=null,t.removeEventListener("disconnected",this.onDisconnected),t.removeEventListener("ready",this.onReady);for(let e of this.subs)e.stop()}}};var ft=["debug","info","warning","error"];function gt(s){let t=ft.indexOf(s);return t===-1?1:t}var K=class{constructor(t){if(!Number.isInteger(t)||t<1)throw new RangeError("capacity must be >= 1");this.capacity=t,this.items=new Array(t),this.start=0,this.size=0,this.total=0}push(t){return this.total+=1,this.size<this.capacity?(this.items[(this.start+this.size)%this.capacity]=t,this.size+=1,!1):(this.items[this.start]=t,this.start=(this.start+1)%this.capacity,!0)}at(t){if(!(t<0||t>=this.size))return this.items[(this.start+t)%this.capacity]}last(){return this.at(this.size-1)}tail(t){let e=Math.max(0,Math.min(t,this.size)),i=new Array(e);for(let n=0;n<e;n+=1)i[n]=this.at(this.size-e+n);return i}tailMatching(t,e){let i=[];for(let n=this.size-1;n>=0&&i.length<t;n-=1){let o=this.at(n);e(o)&&i.push(o)}return i.reverse()}toArray(){return this.tail(this.size)}clear(){this.items=new Array(this.capacity),this.start=0,this.size=0}};function qt(s,t){if(!Array.isArray(t)||t.length===0)return{entries:[],missed:0,restarted:!1};if(s===void 0)return{entries:t.slice(),missed:0,restarted:!1};let e=t[0].seq;return t[t.length-1].seq<s?{entries:t.slice(),missed:0,restarted:!0}:e>s+1?{entries:t.slice(),missed:e-s-1,restarted:!1}:{entries:t.filter(n=>n.seq>s),missed:0,restarted:!1}}function X(s,t=2){return String(s).padStart(t,"0")}function Gt(s){if(typeof s!="number"||!Number.isFinite(s))return"--:--:--.---";let t=new Date(s*1e3);return`${X(t.getHours())}:${X(t.getMinutes())}:${X(t.getSeconds())}.${X(t.getMilliseconds(),3)}`}function mt(s){let t=s&&s.data;return!t||typeof t!="object"||typeof t.hex!="string"?"":t.characteristic?`${t.characteristic} ${t.hex}`:t.hex}function Ce(s){return[Number.isFinite(s.time)?new Date(s.time*1e3).toISOString():"",s.level??"",s.kind??"",s.furby??"",s.text??"",mt(s)].join("	").replace(/[\r\n]+/g," ")}function Kt(s){return`${["time	level	kind	furby	text	bytes",...s.map(Ce)].join(`
`)}
`}function Le(s,t,e){let i=Math.min(t,e),n=t-i,o=Math.max(0,s+i-e);return{skip:n,append:i,remove:o}}function Oe(s){return Math.max(1e3,2*s)}var Y=class{constructor({maxRows:t,onChange:e=()=>{},raf:i,caf:n}){this.maxRows=t,this.buffer=new K(Oe(t)),this.minLevel="debug",this.paused=!1,this.pending=0,this.rebuild=!1,this.container=null,this.rows=0,this.frame=0,this.onChange=e,this.raf=i??(o=>requestAnimationFrame(o)),this.caf=n??(o=>cancelAnimationFrame(o)),this.lastSeq=void 0}attach(t){t!==this.container&&(this.container&&this.container.removeEventListener("scroll",this.onScroll),this.container=t,t&&(this.stick=!0,this.onScroll=()=>{this.stick=t.scrollHeight-t.scrollTop-t.clientHeight<8},t.addEventListener("scroll",this.onScroll,{passive:!0}),t.replaceChildren(),this.rows=0,this.rebuild=!0,this.schedule()))}push(t){for(let e of t)this.buffer.push(e),typeof e.seq=="number"&&(this.lastSeq=e.seq);this.pending+=t.length,this.schedule()}backlog(t){let{entries:e,missed:i,restarted:n}=qt(this.lastSeq,t);i>0&&this.marker(`${i} log entries were missed while disconnected`),n&&this.marker("Home Assistant restarted: the log starts again"),this.push(e)}dropped(t){this.marker(`${t} log entries dropped: the card could not keep up`)}marker(t){this.buffer.push({time:Date.now()/1e3,level:"warning",kind:"gap",text:t,data:null}),this.pending+=1,this.schedule()}setFilter(t){this.minLevel=t,this.rebuild=!0,this.schedule()}setPaused(t){this.paused=t,t||(this.rebuild=!0),this.schedule()}clear(){this.buffer.clear(),this.pending=0,this.rebuild=!0,this.schedule()}downloadText(){return Kt(this.buffer.toArray())}stats(){return{rows:this.rows,buffered:this.buffer.size,newWhilePaused:this.paused?this.pending:0}}schedule(){this.frame||!this.container||(this.frame=this.raf(()=>{this.frame=0,this.render()}))}cancel(){this.frame&&this.caf(this.frame),this.frame=0}render(){let t=this.container;if(!t)return;if(this.paused){this.onChange(this.stats());return}let e=gt(this.minLevel),i=n=>gt(n.level)>=e;if(this.rebuild){let n=this.buffer.tailMatching(this.maxRows,i),o=document.createDocumentFragment();for(let r of n)o.append(Xt(r));t.replaceChildren(o),this.rows=n.length,this.rebuild=!1}else{let n=this.buffer.tail(Math.min(this.pending,this.buffer.size)).filter(i),o=Le(this.rows,n.length,this.maxRows);if(o.remove>0){let r=document.createRange();r.setStartBefore(t.firstChild),r.setEndAfter(t.children[o.remove-1]),r.deleteContents(),this.rows-=o.remove}if(o.append>0){let r=document.createDocumentFragment();for(let a=o.skip;a<n.length;a+=1)r.append(Xt(n[a]));t.append(r),this.rows+=o.append}}this.pending=0,this.stick&&(t.scrollTop=t.scrollHeight),this.onChange(this.stats())}};function Xt(s){let t=document.createElement("div"),e=typeof s.level=="string"?s.level:"info";t.className=`row ${e}`,t.setAttribute("role","listitem");let i=[["t",Gt(s.time)],["l",e],["k",s.kind??""],["x",s.text??""]],n=mt(s);n&&i.push(["h",n]);for(let[o,r]of i){let a=document.createElement("span");a.className=o,a.textContent=r,t.append(a)}return t}var _t=new Set(["done","failed","cancelled"]);function Yt(s){return s?s.size===0?`${s.name} is empty.`:s.size>16777215?`${s.name} is larger than a DLC can be (16 MiB).`:null:"No file chosen."}async function Qt(s,t,e){let i=new FormData;i.append("file",t);let n=await s.fetchWithAuth("/api/file_upload",{method:"POST",body:i,signal:e});if(n.status===413)throw new Error(`${t.name} is too large for Home Assistant's upload.`);if(!n.ok)throw new Error(`Home Assistant refused the file (HTTP ${n.status}).`);let o=await n.json();if(!o||typeof o.file_id!="string")throw new Error("Home Assistant returned no file id.");return o.file_id}function Q(s){return typeof s!="number"||!Number.isFinite(s)||s<0?"–":s<1e3?`${Math.round(s)} B`:s<1e6?`${(s/1e3).toFixed(1)} kB`:`${(s/1e6).toFixed(2)} MB`}function Jt(s){return typeof s!="number"||!Number.isFinite(s)?"–":`${Q(s)}/s`}function Zt(s){if(typeof s!="number"||!Number.isFinite(s)||s<0)return"–";let t=Math.round(s);return t<60?`${t} s`:t<3600?`${Math.floor(t/60)} min ${String(t%60).padStart(2,"0")} s`:`${Math.floor(t/3600)} h ${String(Math.floor(t%3600/60)).padStart(2,"0")} min`}var ke=["excitedness","displeasedness","tiredness","fullness","wellness"],Re=[["giggle","Giggle"],["puke","Puke"],["hiccup","Hiccup"],["beatboxing","Beatbox"],["hey_hey","Hey hey"]],Me=30;function I(s){if(s==null||s==="")return"–";let t=String(s).replace(/_/g," ");return t.charAt(0).toUpperCase()+t.slice(1)}function Te(s){return typeof s!="number"?"":new Date(s*1e3).toLocaleTimeString()}function $t(s){return!Array.isArray(s)||s.length!==3?"#000000":`#${s.map(t=>Math.max(0,Math.min(255,t|0)).toString(16).padStart(2,"0")).join("")}`}function te(s){let t=s._status;if(!t)return h`<section class="status"><p class="hint">${s._gone?"This Furby is not set up (or was removed).":"Waiting for the Furby's status…"}</p></section>`;let e=t.last_interaction,i=!t.antenna||t.antenna.every(n=>n===0);return h`<section class="status" aria-label="Status">
    <dl class="facts">
      <div><dt>Bluetooth</dt><dd>${t.connected?"Connected":t.available?"Not connected":"Unavailable"}</dd></div>
      <div><dt>Orientation</dt><dd>${I(t.orientation)}</dd></div>
      <div><dt>Last interaction</dt><dd>${e?h`${I(e.type)} <span class="hint">${Te(e.time)}</span>`:"–"}</dd></div>
      <div><dt>Eyes</dt><dd>${t.eyes_on===null||t.eyes_on===void 0?"–":t.eyes_on?"On":"Off"}</dd></div>
      <div><dt>Antenna</dt><dd>${t.antenna?h`<span class="swatch" style="background:${$t(t.antenna)}"></span>${i?"Off":$t(t.antenna)}`:"–"}</dd></div>
      <div><dt>Name</dt><dd>${t.furby_name??"–"}</dd></div>
      <div><dt>Active slot</dt><dd>${t.active_slot??"–"}${t.filled_slots&&t.filled_slots.length?h` <span class="hint">(${t.filled_slots.length} filled)</span>`:d}</dd></div>
    </dl>
  </section>`}function ee(s){let t=s._status,e=!t,i=s._catalog?s._catalog.names:[],n=s._nameChoice??t?.name_id??0,o=t?.eyes_on===!0;return h`<section class="controls-section" aria-label="Controls">
    <h3>Controls</h3>
    <div class="controls">
      <div class="field">
        <label for="antenna">Antenna colour</label>
        <input id="antenna" type="color" .value=${$t(t?.antenna)} ?disabled=${e} @change=${s._onAntenna} />
        <button ?disabled=${e} @click=${s._onAntennaOff}>Antenna off</button>
      </div>
      <div class="field">
        <span class="label" id="eyes-label">Eyes</span>
        <button id="eyes" role="switch" aria-labelledby="eyes-label" aria-checked=${o?"true":"false"}
          ?disabled=${e||!s._eyesEntity} title=${s._eyesEntity?"":"The eyes switch entity was not found"}
          @click=${s._onEyes}>${o?"On":"Off"}</button>
      </div>
      <div class="field">
        <label for="name">Name</label>
        <select id="name" ?disabled=${e||i.length===0} @change=${s._onNameChoice}>
          ${i.map((r,a)=>h`<option value=${a} ?selected=${a===n}>${r}</option>`)}
        </select>
        <button ?disabled=${e||i.length===0} aria-label="Set name" @click=${s._onSetName}>Set</button>
      </div>
    </div>
    <div class="moods" role="group" aria-label="Moods">
      ${ke.map(r=>{let a=s._moodDraft[r]??t?.moods?.[r]??null;return h`<label for="mood-${r}">${I(r)}</label>
          <input id="mood-${r}" type="range" min="0" max="100" step="1" .value=${String(a??50)}
            ?disabled=${e} @input=${l=>s._onMoodInput(r,l)} @change=${l=>s._onMoodChange(r,l)} />
          <output for="mood-${r}">${a??"–"}</output>`})}
    </div>
  </section>`}function Ne(s,t,e,i){let n=s._lastSearch;if(n&&n.catalog===t&&n.query===e&&n.category===i)return n.found;let o=It(t,e,i,Me);return s._lastSearch={catalog:t,query:e,category:i,found:o},o}function se(s){let t=!s._status,e=s._catalog,i=e?Ne(s,e,s._query,s._category):null;return h`<section class="actions" aria-label="Actions">
    <h3>Actions</h3>
    <div class="row-of-buttons">
      ${Re.map(([n,o])=>h`<button ?disabled=${t} @click=${()=>s._trigger({action:n},o)}>${o}</button>`)}
    </div>
    <div class="search">
      <div>
        <label for="action-search">Search the ${e?e.actions.length.toLocaleString("en"):""} actions</label>
        <input id="action-search" type="search" placeholder="laugh, sing, 55/2/14…" .value=${s._query} @input=${s._onQuery} ?disabled=${!e} />
      </div>
      <div>
        <label for="action-category">Category</label>
        <select id="action-category" @change=${s._onCategory} ?disabled=${!e}>
          <option value="" ?selected=${!s._category}>All categories</option>
          ${e?e.categories.map(n=>h`<option value=${n} ?selected=${n===s._category}>${n}</option>`):d}
        </select>
      </div>
    </div>
    ${e?h`<p class="hint" role="status">${Pe(i)}</p>
          <ul class="results" aria-label="Matching actions">
            ${i.matches.map(n=>h`<li>
              <span class="what">${n.description}<span class="meta">${n.category} · ${n.code}</span></span>
              <button ?disabled=${t} aria-label=${`Play ${n.description} (${n.code})`}
                @click=${()=>s._trigger({input:n.input,index:n.index,subindex:n.subindex,specific:n.specific},n.description)}>Play</button>
            </li>`)}
          </ul>`:h`<p class="hint">${s._catalogError?`Catalog not loaded: ${s._catalogError}`:"Loading the catalog…"}</p>`}
  </section>`}function Pe({total:s,matches:t}){if(s===0)return"No action matches.";let e=s===1?"1 action matches":`${s.toLocaleString("en")} actions match`;return s>t.length?`${e}; the first ${t.length} are listed.`:`${e}.`}function ie(s){let t=s._status?.upload??null,e=s._uploader,i=e.sending,n=i||t&&!_t.has(t.phase),o=!s.hass?.user||s.hass.user.is_admin!==!1,r=!s._status||!o;return h`<section class="upload" aria-label="DLC upload">
    <h3>DLC upload</h3>
    ${n?Ue(s,i,t):h`
      <div class="drop ${e.dragOver?"over":""}" @dragover=${e.onDragOver} @dragleave=${e.onDragLeave} @drop=${e.onDrop}>
        <label for="dlc-file">Choose a DLC file, or drop one here</label>
        <input id="dlc-file" type="file" accept=".dlc,application/octet-stream" ?disabled=${r} @change=${e.onFileChosen} />
        <label><input id="dlc-activate" type="checkbox" .checked=${e.activate} @change=${e.onActivate} ?disabled=${r} /> Activate when done</label>
      </div>
      ${o?d:h`<p class="hint">Uploads need an administrator account.</p>`}
      ${t&&_t.has(t.phase)?De(t):d}`}
    ${e.error?h`<p class="error-text" role="alert">${e.error}</p>`:d}
  </section>`}function Ue(s,t,e){if(t)return h`<div class="progress">
      <p>${t.filename}: sending to Home Assistant…</p>
      <progress aria-label="Upload progress"></progress>
      <button @click=${s._uploader.onCancel}>Cancel upload</button>
    </div>`;let i=typeof e.percent=="number"?e.percent:0;return h`<div class="progress">
    <p>${e.filename}: ${I(e.phase)}${e.message?h` <span class="hint">${e.message}</span>`:d}</p>
    <progress aria-label="Upload progress" max="100" .value=${i}></progress>
    <p class="figures" role="status">${i.toFixed(1)} % · ${Q(e.bytes_sent)} of ${Q(e.total_bytes)} · ${Jt(e.rate)} · ${Zt(e.eta)} left</p>
    <button @click=${s._uploader.onCancel}>Cancel upload</button>
  </div>`}function De(s){return s.phase==="done"?h`<p class="hint">${s.filename} uploaded${s.slot!==null&&s.slot!==void 0?` to slot ${s.slot}`:""}.</p>`:s.phase==="cancelled"?h`<p class="hint">${s.filename}: upload cancelled.</p>`:h`<p class="error-text">${s.filename}: upload failed${s.error?`: ${s.error}`:""}.</p>`}function ne(s){let t=s._logStats;return h`<section class="log-section" aria-label="Live log">
    <div class="log-toolbar">
      <h3 id="log-title">Live log</h3>
      <label for="log-level" class="visually-hidden">Lowest level shown</label>
      <select id="log-level" @change=${s._onLevel}>
        ${ft.map(e=>h`<option value=${e} ?selected=${e===s._minLevel}>${I(e)}${e==="error"?"":" and up"}</option>`)}
      </select>
      <button aria-pressed=${s._paused?"true":"false"} @click=${s._onPause}>${s._paused?"Resume":"Pause"}</button>
      <button @click=${s._onClear}>Clear</button>
      <button @click=${s._onDownload}>Download</button>
      <span class="stats">${t.rows} rows${s._paused?` · ${t.newWhilePaused} new while paused`:""}</span>
    </div>
    <div class="log" role="list" aria-labelledby="log-title" tabindex="0"></div>
  </section>`}var oe=tt`
  :host {
    display: block;
    --fc-gap: 12px;
    --fc-muted: var(--secondary-text-color, #727272);
    --fc-line: var(--divider-color, rgba(0, 0, 0, 0.12));
    --fc-field: var(--secondary-background-color, #f0f0f0);
    --fc-accent: var(--primary-color, #03a9f4);
    --fc-on-accent: var(--text-primary-color, #fff);
    --fc-mono: var(--code-font-family, ui-monospace, "Roboto Mono", Menlo, Consolas, monospace);
    color-scheme: light;
  }
  :host([dark-mode]) {
    color-scheme: dark;
  }
  ha-card {
    display: block;
    overflow: hidden;
    color: var(--primary-text-color, #212121);
  }
  .header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 16px 16px 0;
  }
  h2 {
    flex: 1;
    margin: 0;
    font-size: var(--ha-card-header-font-size, 1.5rem);
    font-weight: 400;
    line-height: 1.3;
    overflow-wrap: anywhere;
  }
  h3 {
    margin: 0 0 8px;
    font-size: 1rem;
    font-weight: 500;
  }
  section {
    padding: var(--fc-gap) 16px;
    border-top: 1px solid var(--fc-line);
  }
  section:first-of-type {
    border-top: none;
  }
  .badge {
    flex: none;
    padding: 2px 10px;
    border-radius: 12px;
    font-size: 0.85rem;
    background: var(--fc-field);
    color: var(--fc-muted);
  }
  .badge.connected {
    background: var(--success-color, #43a047);
    color: #fff;
  }
  .badge.unavailable {
    background: var(--error-color, #db4437);
    color: #fff;
  }
  .feed {
    margin: 8px 16px 0;
    padding: 6px 10px;
    border-radius: 8px;
    background: var(--fc-field);
    color: var(--fc-muted);
    font-size: 0.9rem;
  }
  .feed.error {
    color: var(--error-color, #db4437);
  }
  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
    gap: 8px var(--fc-gap);
    margin: 0;
  }
  .facts div {
    min-width: 0;
  }
  dt {
    font-size: 0.8rem;
    color: var(--fc-muted);
  }
  dd {
    margin: 2px 0 0;
    overflow-wrap: anywhere;
  }
  .swatch {
    display: inline-block;
    width: 0.9em;
    height: 0.9em;
    margin-right: 6px;
    border: 1px solid var(--fc-line);
    border-radius: 50%;
    vertical-align: -0.1em;
  }
  .controls {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
    gap: var(--fc-gap);
  }
  .field {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 8px;
  }
  .field > label:first-child,
  .field > .label {
    flex: 1 0 100%;
    font-size: 0.85rem;
    color: var(--fc-muted);
  }
  .moods {
    margin-top: var(--fc-gap);
    display: grid;
    grid-template-columns: minmax(90px, auto) 1fr 3ch;
    align-items: center;
    gap: 4px 8px;
  }
  .moods label {
    font-size: 0.9rem;
  }
  .moods output {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  input[type="range"] {
    width: 100%;
    min-width: 0;
    accent-color: var(--fc-accent);
  }
  input[type="checkbox"] {
    accent-color: var(--fc-accent);
  }
  button,
  select,
  input[type="search"],
  input[type="color"] {
    font: inherit;
    color: inherit;
    min-height: 36px;
    border-radius: 8px;
    border: 1px solid var(--fc-line);
    background: var(--fc-field);
  }
  select,
  input[type="search"] {
    padding: 0 8px;
    min-width: 0;
  }
  input[type="color"] {
    width: 48px;
    padding: 2px;
  }
  button {
    padding: 0 14px;
    cursor: pointer;
  }
  button.primary,
  button[aria-checked="true"] {
    background: var(--fc-accent);
    border-color: var(--fc-accent);
    color: var(--fc-on-accent);
  }
  button:disabled,
  select:disabled,
  input:disabled {
    opacity: 0.5;
    cursor: default;
  }
  :is(button, select, input, .log, .drop):focus-visible {
    outline: 2px solid var(--fc-accent);
    outline-offset: 2px;
  }
  .row-of-buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .search {
    display: grid;
    grid-template-columns: 1fr minmax(0, 14em);
    gap: 8px;
    margin-top: var(--fc-gap);
  }
  .search label {
    display: block;
    font-size: 0.85rem;
    color: var(--fc-muted);
    margin-bottom: 2px;
  }
  .search input,
  .search select {
    width: 100%;
    box-sizing: border-box;
  }
  .hint {
    margin: 6px 0;
    font-size: 0.85rem;
    color: var(--fc-muted);
  }
  .results {
    list-style: none;
    margin: 0;
    padding: 0;
    max-height: 240px;
    overflow-y: auto;
    border: 1px solid var(--fc-line);
    border-radius: 8px;
  }
  .results li {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 4px 8px;
    border-top: 1px solid var(--fc-line);
  }
  .results li:first-child {
    border-top: none;
  }
  .results .what {
    flex: 1;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .results .meta {
    display: block;
    font-size: 0.8rem;
    color: var(--fc-muted);
  }
  .results button {
    flex: none;
  }
  .drop {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 12px;
    padding: 12px;
    border: 2px dashed var(--fc-line);
    border-radius: 8px;
  }
  .drop.over {
    border-color: var(--fc-accent);
    background: var(--fc-field);
  }
  .drop input[type="file"] {
    max-width: 100%;
  }
  progress {
    width: 100%;
    height: 12px;
    accent-color: var(--fc-accent);
  }
  .figures {
    font-size: 0.9rem;
    font-variant-numeric: tabular-nums;
    color: var(--fc-muted);
  }
  .error-text {
    color: var(--error-color, #db4437);
  }
  .log-toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    margin-bottom: 8px;
  }
  .log-toolbar h3 {
    margin: 0 4px 0 0;
  }
  .log-toolbar .stats {
    margin-left: auto;
    font-size: 0.85rem;
    color: var(--fc-muted);
  }
  .log {
    height: 260px;
    overflow-y: auto;
    contain: strict;
    font-family: var(--fc-mono);
    font-size: 12px;
    line-height: 18px;
    border: 1px solid var(--fc-line);
    border-radius: 8px;
    background: var(--primary-background-color, #fafafa);
  }
  .log .row {
    display: flex;
    gap: 8px;
    padding: 0 8px;
    white-space: nowrap;
    /* Rows out of view skip layout and paint: a flood lays out only the visible rows. */
    content-visibility: auto;
    contain-intrinsic-size: auto 18px;
  }
  .log .row span {
    flex: none;
  }
  .log .row .x {
    flex: 1 1 auto;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .log .row .l {
    width: 7ch;
    text-transform: uppercase;
  }
  .log .row .k {
    width: 10ch;
    color: var(--fc-muted);
  }
  .log .row .t,
  .log .row .h {
    color: var(--fc-muted);
  }
  .log .row.debug .l {
    color: var(--fc-muted);
  }
  .log .row.warning .l {
    color: var(--warning-color, #ffa600);
  }
  .log .row.error .l,
  .log .row.error .x {
    color: var(--error-color, #db4437);
  }
  .notice {
    min-height: 1.4em;
    padding: 0 16px 12px;
    font-size: 0.9rem;
    color: var(--fc-muted);
  }
  .notice.error {
    color: var(--error-color, #db4437);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  @media (max-width: 450px) {
    .header,
    section {
      padding-left: 12px;
      padding-right: 12px;
    }
    .search {
      grid-template-columns: 1fr;
    }
    .log .row .k,
    .log .row .h {
      display: none;
    }
  }
`;function O(s){return s?typeof s=="string"?s:s.message?s.message:s.code?String(s.code):String(s):"unknown error"}var J=class{constructor(t){u(this,"onActivate",t=>this.set({activate:t.target.checked}));u(this,"onFileChosen",t=>{let e=t.target.files&&t.target.files[0];t.target.value="",e&&this.upload(e)});u(this,"onDragOver",t=>{t.preventDefault(),t.dataTransfer&&(t.dataTransfer.dropEffect="copy"),this.dragOver||this.set({dragOver:!0})});u(this,"onDragLeave",()=>this.set({dragOver:!1}));u(this,"onDrop",t=>{t.preventDefault(),this.set({dragOver:!1});let e=t.dataTransfer&&t.dataTransfer.files&&t.dataTransfer.files[0];e&&this.upload(e)});u(this,"onCancel",()=>{if(this.sending){this.sending.abort.abort();return}this.host._furby("cancel_upload",{},"Upload cancelled")});this.host=t,this.sending=null,this.error="",this.activate=!0,this.dragOver=!1}set(t){Object.assign(this,t),this.host.requestUpdate()}async upload(t){let{_hass:e,_config:i}=this.host,n=Yt(t)??(e.user&&e.user.is_admin===!1?"Uploads need an administrator account.":null)??(this.host._status?null:"The Furby's status has not arrived yet; try again in a moment.");if(this.set({error:n??""}),n||this.sending)return;let o=new AbortController;this.set({sending:{filename:t.name,abort:o}});try{let r=await Qt(e,t,o.signal);if(o.signal.aborted)throw new Error("aborted");await e.callService(A,"upload_dlc",{device_id:i.device_id,file_id:r,activate:this.activate}),this.host._notice={text:`Upload of ${t.name} started`,error:!1}}catch(r){this.error=o.signal.aborted?"Upload cancelled.":O(r)}finally{this.set({sending:null})}}};var H=class extends v{constructor(){super();u(this,"_onAntenna",e=>{let i=e.target.value,[n,o,r]=[1,3,5].map(a=>parseInt(i.slice(a,a+2),16));this._furby("set_antenna",{red:n,green:o,blue:r},`Antenna set to ${i}`)});u(this,"_onAntennaOff",()=>this._furby("set_antenna",{red:0,green:0,blue:0},"Antenna off"));u(this,"_onEyes",()=>{if(!this._eyesEntity)return;let e=this._status&&this._status.eyes_on===!0;this._call("switch",e?"turn_off":"turn_on",{entity_id:this._eyesEntity},e?"Eyes off":"Eyes on")});u(this,"_onNameChoice",e=>{this._nameChoice=Number(e.target.value)});u(this,"_onSetName",()=>{let e=this._nameChoice??(this._status&&this._status.name_id)??0,i=this._catalog?this._catalog.names[e]:String(e);this._furby("set_name",{name_id:e},`Name set to ${i}`)});u(this,"_onQuery",e=>{this._query=e.target.value});u(this,"_onCategory",e=>{this._category=e.target.value});u(this,"_onLevel",e=>{this._minLevel=e.target.value,this._logView&&this._logView.setFilter(this._minLevel)});u(this,"_onPause",()=>{this._paused=!this._paused,this._logView&&this._logView.setPaused(this._paused)});u(this,"_onClear",()=>{this._logView&&this._logView.clear()});u(this,"_onDownload",()=>{if(!this._logView)return;let e=new Blob([this._logView.downloadText()],{type:"text/tab-separated-values"}),i=URL.createObjectURL(e),n=document.createElement("a");n.href=i,n.download=`furby-log-${new Date().toISOString().replace(/[:.]/g,"-")}.tsv`,this.renderRoot.append(n),n.click(),n.remove(),setTimeout(()=>URL.revokeObjectURL(i),6e4)});this._config=null,this._hass=null,this._attached=!1,this._feed=null,this._logView=null,this._status=null,this._gone=!1,this._feedState={status:g.IDLE,log:g.IDLE,info:{}},this._catalog=null,this._catalogError="",this._query="",this._category="",this._nameChoice=null,this._moodDraft={},this._minLevel="debug",this._paused=!1,this._logStats={rows:0,buffered:0,newWhilePaused:0},this._notice=null,this._eyesEntity=null,this._eyesState=void 0,this._lastSearch=null,this._uploader=new J(this)}static getConfigForm(){return Bt()}static getStubConfig(e){return zt(e)}setConfig(e){let i=pt(e),n=this._config;this._config=i,n&&n.device_id===i.device_id&&n.show_log===i.show_log&&n.log_rows===i.log_rows||(this._teardown(),this._logView&&this._logView.attach(null),this._status=null,this._gone=!1,this._logView=i.show_log?new Y({maxRows:i.log_rows,onChange:r=>this._onLogStats(r)}):null,this._bind()),this.requestUpdate()}set hass(e){let i=this._hass;if(this._hass=e,!e)return;e.themes&&this.toggleAttribute("dark-mode",!!e.themes.darkMode),this._bind();let n=this._config?Ft(e,this._config.device_id):null,o=n&&e.states?e.states[n]:void 0;(!i||n!==this._eyesEntity||o!==this._eyesState||i.user!==e.user)&&(this._eyesEntity=n,this._eyesState=o,this.requestUpdate())}get hass(){return this._hass}getCardSize(){return this._config&&this._config.show_log?16:10}getGridOptions(){return{columns:12,rows:"auto",min_columns:6,min_rows:6}}connectedCallback(){super.connectedCallback(),this._attached=!0,this._bind()}disconnectedCallback(){super.disconnectedCallback(),this._attached=!1,this._teardown()}_bind(){!this._attached||!this._config||!this._hass||!this._hass.connection||(this._feed||(this._feed=new G({deviceId:this._config.device_id,withLog:this._config.show_log,onLog:e=>this._onLogEvent(e),onStatus:e=>this._onStatusEvent(e),onState:(e,i,n)=>this._onFeedState(e,i,n)})),this._feed.bind(this._hass.connection))}_teardown(){this._feed&&this._feed.unbind(),this._feed=null,this._logView&&this._logView.cancel()}_onFeedState(e,i,n){this._feedState={...this._feedState,[e]:i,info:i===g.LIVE?{}:n},e==="status"&&i===g.LIVE&&this._loadCatalog()}_loadCatalog(){this._catalog||!this._hass||Ht(this._hass.connection).then(e=>{this._catalog=e,this._catalogError=""},e=>{this._catalogError=O(e)})}_onStatusEvent(e){let i=this._config.device_id;if(e.type==="snapshot"){let n=(e.furbies||[]).find(o=>o.device_id===i)??null;this._status=n,this._gone=!n}else e.type==="update"&&e.furby&&e.furby.device_id===i?(this._status=e.furby,this._gone=!1):e.type==="removed"&&e.device_id===i&&(this._status=null,this._gone=!0)}_onLogStats(e){let i=this._logStats;(i.rows!==e.rows||i.newWhilePaused!==e.newWhilePaused)&&(this._logStats=e)}_onLogEvent(e){let i=this._logView;i&&(e.type==="backlog"?i.backlog(e.entries||[]):e.type==="entries"?i.push(e.entries||[]):e.type==="dropped"&&i.dropped(e.count))}updated(){if(this._logView){let e=this.renderRoot.querySelector(".log");e&&this._logView.attach(e)}}render(){if(!this._config)return d;let e=this._status,i=this._config.title||e&&e.name||"Furby",n=e?e.connected?["connected","Connected"]:e.available?["","Not connected"]:["unavailable","Unavailable"]:["","–"];return h`<ha-card>
      <div class="header">
        <h2>${i}</h2>
        <span class="badge ${n[0]}">${n[1]}</span>
      </div>
      ${this._feedNotice()}
      ${te(this)} ${ee(this)} ${se(this)} ${ie(this)}
      ${this._config.show_log?ne(this):d}
      <div class="notice ${this._notice&&this._notice.error?"error":""}" role="status" aria-live="polite">
        ${this._notice?this._notice.text:""}
      </div>
    </ha-card>`}_feedNotice(){let e=[this._feedState.status,...this._config.show_log?[this._feedState.log]:[]];if(e.every(r=>r===g.LIVE))return d;let i=this._feedState.info||{},n="Connecting to Home Assistant…",o=!1;if(e.includes(g.OFFLINE))n="Home Assistant is not reachable; waiting for it to come back…";else if(e.includes(g.RETRYING)){let r=i.error&&i.error.code,a=typeof i.delay=="number"?` Retrying in ${(i.delay/1e3).toFixed(1)} s.`:"";r==="unknown_command"?n=`Waiting for the Furby Connect integration to load.${a}`:r==="not_found"?(n=`This Furby is not loaded in Home Assistant.${a}`,o=!0):i.error?(n=`Live updates failed: ${O(i.error)}.${a}`,o=!0):n=`Reconnecting…${a}`}return h`<div class="feed ${o?"error":""}" role="status">${n}</div>`}async _call(e,i,n,o){try{return await this._hass.callService(e,i,n),this._notice={text:o,error:!1},!0}catch(r){return this._notice={text:O(r),error:!0},!1}}_furby(e,i,n){return this._call(A,e,{device_id:this._config.device_id,...i},n)}_trigger(e,i){return this._furby("trigger_action",e,`Sent: ${i}`)}_onMoodInput(e,i){this._moodDraft={...this._moodDraft,[e]:Number(i.target.value)}}async _onMoodChange(e,i){let n=Number(i.target.value);await this._furby("set_mood",{meter:e,value:n,mode:"set"},`${e} set to ${n}`);let{[e]:o,...r}=this._moodDraft;this._moodDraft=r}};u(H,"properties",{_status:{state:!0},_gone:{state:!0},_feedState:{state:!0},_catalog:{state:!0},_catalogError:{state:!0},_query:{state:!0},_category:{state:!0},_nameChoice:{state:!0},_moodDraft:{state:!0},_minLevel:{state:!0},_paused:{state:!0},_logStats:{state:!0},_notice:{state:!0}}),u(H,"styles",oe);Vt(j,H);Wt({type:j,name:"Furby Connect",description:"A Furby Connect's status, controls, actions, DLC upload and live log.",preview:!1,documentationURL:"https://github.com/furby-connect/furby_connect#the-card"});export{H as FurbyConnectCard};
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/
